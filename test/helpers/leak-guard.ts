/**
 * Fails the test file that leaves a listening server or a child process behind, the way
 * graphile-worker's test helpers fail a test that leaks a worker: a leak makes later files flaky
 * and hides a missing close() in the code under test. Call once at the top of a test file.
 */

/** Resource kinds that mean "something is still running" (see process.getActiveResourcesInfo). */
const WATCHED = ['TCPServerWrap', 'ProcessWrap'] as const;

function counts(): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(WATCHED.map((k) => [k, 0]));
  for (const r of process.getActiveResourcesInfo()) if (r in out) out[r] = (out[r] ?? 0) + 1;
  return out;
}

/**
 * Records the servers and child processes open before the file's tests and, after all of them,
 * waits up to `graceMs` for the count to come back down; fails with what is left otherwise.
 */
export function guardAgainstLeaks(graceMs = 5000): void {
  let before: Record<string, number> = {};
  beforeAll(() => {
    before = counts();
  });
  afterAll(async () => {
    const until = Date.now() + graceMs;
    for (;;) {
      const now = counts();
      const leaked = WATCHED.filter((k) => (now[k] ?? 0) > (before[k] ?? 0)).map(
        (k) => `${k}: ${before[k] ?? 0} before, ${now[k] ?? 0} after`,
      );
      if (leaked.length === 0 || Date.now() > until) {
        expect(leaked).toEqual([]);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  });
}
