import { LocalPoliteness } from '../../../src/http/politeness';

/** A sleep that ends only when the test says so, recording what was asked of it. */
function heldSleep(): { sleep: (ms: number) => Promise<void>; asked: number[]; wake: () => void } {
  const asked: number[] = [];
  const waiting: (() => void)[] = [];
  return {
    asked,
    sleep: (ms) => {
      asked.push(ms);
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    wake: () => waiting.shift()?.(),
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('LocalPoliteness', () => {
  it('grants a free slot at once, and one asked for while another waits only after that one', async () => {
    const held = heldSleep();
    const gate = new LocalPoliteness(held.sleep);
    const order: string[] = [];
    await gate.wait('m.weibo.cn', 60_000);
    order.push('a');
    expect(held.asked).toEqual([]);
    const b = gate.wait('m.weibo.cn', 60_000).then(() => order.push('b'));
    // No interval at all: its slot is free, yet b asked first and waits for its own.
    const c = gate.wait('m.weibo.cn', 0).then(() => order.push('c'));
    await settle();
    expect(order).toEqual(['a']);
    expect(held.asked).toHaveLength(1);
    expect(held.asked[0]).toBeGreaterThan(50_000);
    held.wake();
    await Promise.all([b, c]);
    expect(order).toEqual(['a', 'b', 'c']);
    // Nobody waiting and no interval: granted without a sleep.
    await gate.wait('m.weibo.cn', 0);
    expect(held.asked).toHaveLength(1);
  });

  it('turns away an aborted caller without taking the slot', async () => {
    const held = heldSleep();
    const gate = new LocalPoliteness(held.sleep);
    const stop = new AbortController();
    stop.abort(new Error('run over'));
    await expect(gate.wait('weibo.com', 60_000, stop.signal)).rejects.toThrow('run over');
    await gate.wait('weibo.com', 60_000);
    expect(held.asked).toEqual([]);
  });
});
