/**
 * Two projects: `unit` (pure: no sockets, no child processes; `npm run test:unit`) and
 * `integration` (real SQLite files, redis-server, Chromium and the simulator on 127.0.0.1 port 0).
 * `npm test` runs both. The integration project's globalSetup builds dist/, which the tests that
 * spawn the CLI run, and starts a private redis-server (CENSORWATCH_TEST_REDIS); it runs only when
 * an integration test is selected.
 */
const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/test/unit'] },
    {
      ...shared,
      displayName: 'integration',
      roots: ['<rootDir>/test/integration'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    },
  ],
  // A cap for a hung test, not a measure: every test waits for its own condition with a cap of its
  // own, and on a loaded 2-core machine a simulated day or a 100,000-body fuzz can take minutes.
  testTimeout: 180000,
  // Integration tests start servers, SQLite files and Redis queues: keep workers few on 2 cores.
  maxWorkers: 2,
};
