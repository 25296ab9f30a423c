/**
 * The layering, checked by `npm run lint:deps` (part of `npm run lint`, so CI runs it):
 * no import cycles; src/domain imports nothing of ours; only src/store opens SQLite (and only it
 * holds the raw connection, src/store/db.ts); only the
 * composition layer (src/cli, workers) is imported as such; unit tests stay pure (no sockets,
 * no child processes, no simulator).
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle hides the order things are built in; break it with a smaller module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain is the vocabulary and the pure rules: it imports nothing of ours.',
      from: { path: '^src/domain/' },
      to: { path: '^(src|workers)/', pathNot: '^src/domain/' },
    },
    {
      name: 'errors-and-logger-are-leaves',
      severity: 'error',
      comment: 'Every layer may import src/errors.ts and src/logger.ts, so they import nothing of ours.',
      from: { path: '^src/(errors|logger)\\.ts$' },
      to: { path: '^(src|workers)/' },
    },
    {
      name: 'only-store-opens-sqlite',
      severity: 'error',
      comment: 'All SQL lives in src/store; nothing else reaches better-sqlite3.',
      from: { path: '^(src|workers)/', pathNot: '^src/store/' },
      to: { path: 'node_modules/better-sqlite3/' },
    },
    {
      name: 'store-connection-is-internal',
      severity: 'error',
      comment:
        'src/store/db.ts holds the raw connection: outside src/store only the test helper for raw SQL may reach it.',
      from: { pathNot: '^(src/store/|test/helpers/sql\\.ts$)' },
      to: { path: '^src/store/db\\.ts$' },
    },
    {
      name: 'only-cli-and-workers-compose',
      severity: 'error',
      comment: 'src/cli is the composition layer: only it and the workers/ entry files import it.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'workers-are-entry-files',
      severity: 'error',
      comment: 'workers/ files are process entry points: nothing imports them.',
      from: {},
      to: { path: '^workers/' },
    },
    {
      name: 'unit-tests-are-pure',
      severity: 'error',
      comment: 'test/unit opens no sockets and starts no processes; such tests belong in test/integration.',
      from: { path: '^test/unit/' },
      to: {
        path: [
          '^(node:)?(net|http|https|http2|tls|dgram|child_process|cluster)$',
          'node_modules/(undici|ioredis|bullmq|playwright-core|express)/',
          '^src/sim/(index|server)\\.ts$',
          '^test/integration/',
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|coverage)/' },
  },
};
