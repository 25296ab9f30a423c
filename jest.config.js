/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  // Tests that spawn the CLI run dist/: build it from the current source first.
  globalSetup: '<rootDir>/test/helpers/build-dist.ts',
  testTimeout: 60000,
  // Integration tests start servers, SQLite files and Redis queues: keep workers few on 2 cores.
  maxWorkers: 2,
};
