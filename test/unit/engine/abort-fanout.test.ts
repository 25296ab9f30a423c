import { getEventListeners } from 'node:events';
import { AbortFanout } from '../../../src/engine/abort-fanout';

describe('AbortFanout', () => {
  it('keeps one listener on the parent however many children are in flight', async () => {
    const parent = new AbortController();
    const fanout = new AbortFanout(parent.signal);
    const children: AbortSignal[] = [];
    const gates: (() => void)[] = [];
    const runs = Array.from({ length: 50 }, () =>
      fanout.run(
        (own) =>
          new Promise<string>((resolve) => {
            children.push(own!);
            // Each child carries the listeners a request would (politeness wait, its race, undici).
            for (let i = 0; i < 3; i++)
              own!.addEventListener('abort', () => resolve('aborted'), { once: true });
            gates.push(() => resolve('done'));
          }),
      ),
    );
    expect(fanout.size).toBe(50);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    expect(new Set(children).size).toBe(50);

    gates[0]!();
    expect(await runs[0]).toBe('done');
    expect(fanout.size).toBe(49);

    parent.abort(new Error('stop'));
    const results = await Promise.all(runs.slice(1));
    expect(results.every((r) => r === 'aborted')).toBe(true);
    expect(children.slice(1).every((c) => c.aborted && (c.reason as Error).message === 'stop')).toBe(true);
    // The one that finished first was dropped before the abort: its signal never fired.
    expect(children[0]!.aborted).toBe(false);
    expect(fanout.size).toBe(0);
  });

  it('gives an aborted child when the parent is already aborted, none without a parent, and lets go on close', async () => {
    const parent = new AbortController();
    const fanout = new AbortFanout(parent.signal);
    fanout.close();
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    parent.abort();
    expect(await new AbortFanout(parent.signal).run(async (s) => s?.aborted)).toBe(true);
    expect(await new AbortFanout(undefined).run(async (s) => s)).toBeUndefined();
  });
});
