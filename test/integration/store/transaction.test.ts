import type { Store } from '../../../src/store/store';
import { tempDatabase } from '../../helpers/temp-db';

const T0 = Date.UTC(2024, 0, 10, 2, 0, 0);

/** Stores one watch named after `id` (an observable write). */
function put(store: Store, ...ids: string[]): void {
  store.syncWatches([...store.listWatches(), ...ids.map((id) => ({ id, name: id }))], [], T0);
}

const ids = (store: Store): string[] => store.listWatches().map((w) => w.id);

describe('store transactions', () => {
  it('commits what the function wrote and returns its value', () => {
    const { store } = tempDatabase('censorwatch-tx-');
    expect(
      store.transaction(() => {
        put(store, 'a');
        return 42;
      }),
    ).toBe(42);
    expect(ids(store)).toEqual(['a']);
  });

  it('rolls everything back when the function throws, and rethrows its error', () => {
    const { store } = tempDatabase('censorwatch-tx-');
    const boom = new Error('boom');
    expect(() =>
      store.transaction(() => {
        put(store, 'a');
        store.transaction(() => put(store, 'b'));
        throw boom;
      }),
    ).toThrow(boom);
    expect(ids(store)).toEqual([]);
    // The connection is usable again: no transaction was left open.
    store.transaction(() => put(store, 'c'));
    expect(ids(store)).toEqual(['c']);
  });

  it('rolls back only a nested call that throws, keeping what the outer one wrote before and after it', () => {
    const { store } = tempDatabase('censorwatch-tx-');
    store.transaction(() => {
      put(store, 'a');
      expect(() =>
        store.transaction(() => {
          put(store, 'b');
          store.transaction(() => put(store, 'c'));
          throw new Error('inner');
        }),
      ).toThrow('inner');
      store.transaction(() => put(store, 'd'));
      put(store, 'e');
    });
    expect(ids(store)).toEqual(['a', 'd', 'e']);
  });

  it('refuses a function that returns a promise, writing nothing', () => {
    const { store } = tempDatabase('censorwatch-tx-');
    expect(() =>
      store.transaction(() => {
        put(store, 'a');
        return Promise.resolve(1);
      }),
    ).toThrow(TypeError);
    expect(ids(store)).toEqual([]);
  });
});
