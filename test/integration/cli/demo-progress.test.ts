/**
 * The demo's progress on stderr: a line per simulated day when stderr is a file or a pipe, a bar
 * redrawn in place on a terminal, and log lines that never land inside the bar. Driven by the
 * counts and a fake real clock, never by time passing.
 */
import { Writable } from 'node:stream';
import { DemoProgress } from '../../../src/cli/demo-progress';

const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 24, 0, 0, 0);

function sink(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text: () => string } {
  let text = '';
  const w = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return Object.assign(w, { isTTY, columns: 120, text: () => text });
}

const counts = (at: number, checks: number) => ({
  at,
  checks,
  discoveries: checks * 2,
  targets: 10,
  gone: 1,
});

describe('demo progress', () => {
  it('prints one line per simulated day when not on a terminal, then a last line', () => {
    const out = sink(false);
    const p = new DemoProgress({ start: START, end: START + 3 * DAY, out });
    expect(p.mode).toBe('lines');
    for (let h = 0; h <= 72; h += 1) p.update(counts(START + h * 3_600_000, h));
    p.finish();
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      'demo: day 1/3 (simulated 2026-11-25 00:00 UTC): 24 checks, 48 searches and timelines, 10 posts, 1 gone',
    );
    expect(lines[2]).toMatch(/^demo: day 3\/3 /);
    expect(lines[3]).toMatch(/^demo: done \(simulated 2026-11-27 00:00 UTC\): 72 checks/);
    expect(out.text()).not.toContain('\r');
  });

  it('catches up on days a single step of the clock jumps over', () => {
    const out = sink(false);
    const p = new DemoProgress({ start: START, end: START + 3 * DAY, out });
    p.update(counts(START + 2.5 * DAY, 5));
    expect(
      out
        .text()
        .trim()
        .split('\n')
        .map((l) => l.slice(0, 14)),
    ).toEqual(['demo: day 1/3 ', 'demo: day 2/3 ']);
  });

  it('redraws a bar in place on a terminal, at most once per redraw interval, and ends it with a newline', () => {
    const out = sink(true);
    let now = 0;
    const p = new DemoProgress({ start: START, end: START + 2 * DAY, out, redrawMs: 100, now: () => now });
    expect(p.mode).toBe('bar');
    p.update(counts(START + DAY / 2, 1));
    p.update(counts(START + DAY, 2)); // within the interval: not drawn
    now = 150;
    p.update(counts(START + DAY, 3));
    const draws = out
      .text()
      .split('\r\x1b[K')
      .filter((s) => s !== '');
    expect(draws).toHaveLength(2);
    expect(draws[0]).toMatch(/^demo: \[#+\.+\] {2}25% day 0\.5\/2 /);
    expect(draws[1]).toMatch(/^demo: \[#+\.+\] {2}50% day 1\/2 .*: 3 checks/);
    expect(out.text()).not.toContain('\n');
    p.finish();
    expect(out.text().endsWith('\n')).toBe(true);
  });

  it('keeps log lines out of the bar: clears it, writes the line, draws it again below', () => {
    const out = sink(true);
    const p = new DemoProgress({ start: START, end: START + DAY, out, redrawMs: 0, now: () => 1 });
    p.update(counts(START + DAY / 4, 1));
    const log = p.logStream();
    log.write('{"level":40,"msg":"http retry"}\n');
    const text = out.text();
    const at = text.indexOf('{"level"');
    // The bar before it was cleared (\r + erase line) and the line starts at column 0.
    expect(text.slice(at - 4, at)).toBe('\r\x1b[K');
    const after = '{"level":40,"msg":"http retry"}\n\r\x1b[Kdemo: [';
    expect(text.slice(at, at + after.length)).toBe(after);
  });
});
