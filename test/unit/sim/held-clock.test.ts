import { HeldClock, type Hold } from '../../../src/sim/host/held-clock';

const START = Date.UTC(2024, 0, 10, 2, 0, 0);

/** A clock on a real time the test moves by hand. */
function clockAt(holds: (flags: Record<string, boolean>) => Hold[], maxHoldMs?: number) {
  let real = 1_000_000;
  const flags: Record<string, boolean> = {};
  const clock = new HeldClock({ start: START, real: () => real, maxHoldMs });
  clock.addHolds(holds(flags));
  return { clock, flags, pass: (ms: number) => (real += ms) };
}

describe('the held scenario clock', () => {
  it('stands at its start until go, then runs on real time', () => {
    const { clock, pass } = clockAt(() => []);
    pass(5000);
    expect(clock.now()).toBe(START);
    clock.go();
    pass(1234);
    expect(clock.now()).toBe(START + 1234);
  });

  it('stops just before a hold until it is ready, then goes on from the hold without a jump', () => {
    const { clock, flags, pass } = clockAt((f) => [
      { at: START + 4000, what: 'edit', ready: () => f.seen === true },
    ]);
    clock.go();
    pass(3000);
    expect(clock.now()).toBe(START + 3000);
    // Not read while it passed the hold: it still stands just before it.
    pass(10_000);
    expect(clock.now()).toBe(START + 3999);
    expect(clock.waitingFor).toBe('edit');
    pass(20_000);
    expect(clock.now()).toBe(START + 3999);
    flags.seen = true;
    expect(clock.now()).toBe(START + 4000);
    expect(clock.waitingFor).toBeNull();
    pass(500);
    expect(clock.now()).toBe(START + 4500);
    expect(clock.expired).toEqual([]);
  });

  it('passes a hold already ready without stopping, and holds at one moment one after another', () => {
    const { clock, flags, pass } = clockAt((f) => [
      { at: START + 1000, what: 'a', ready: () => true },
      { at: START + 2000, what: 'b', ready: () => f.b === true },
      { at: START + 2000, what: 'c', ready: () => f.c === true },
    ]);
    clock.go();
    pass(1500);
    expect(clock.now()).toBe(START + 1500);
    pass(1000);
    flags.c = true;
    expect(clock.now()).toBe(START + 1999);
    expect(clock.waitingFor).toBe('b');
    flags.b = true;
    expect(clock.now()).toBe(START + 2000);
    pass(1);
    expect(clock.now()).toBe(START + 2001);
  });

  it('lets a hold go after maxHoldMs and names it', () => {
    const { clock, pass } = clockAt(
      () => [{ at: START + 1000, what: 'never seen', ready: () => false }],
      60_000,
    );
    clock.go();
    pass(1000 + 59_999);
    expect(clock.now()).toBe(START + 999);
    pass(1);
    expect(clock.now()).toBe(START + 1000);
    expect(clock.expired).toEqual(['never seen']);
  });

  it('drops holds at or before the time it already shows', () => {
    const { clock, pass } = clockAt(() => []);
    clock.go();
    pass(2000);
    clock.addHolds([{ at: START + 1500, what: 'past', ready: () => false }]);
    pass(10);
    expect(clock.now()).toBe(START + 2010);
  });
});
