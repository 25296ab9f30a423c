/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  testTimeout: 60000,
  // Integration tests start servers, SQLite files and Redis queues: keep workers few on 2 cores.
  maxWorkers: 2,
};
