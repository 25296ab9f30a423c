import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createEngine } from '../../../src/cli/compose';
import { parseConfig } from '../../../src/config';
import { ManualClock } from '../../../src/domain/clock';
import { PolitenessUnavailableError } from '../../../src/http/politeness';
import type { HttpClient } from '../../../src/http/types';
import { NeteaseAdapter } from '../../../src/platforms/netease/adapter';
import { WeiboAdapter } from '../../../src/platforms/weibo/adapter';
import { Store } from '../../../src/store/store';
import { tempDir } from '../../helpers/temp';

const T0 = Date.UTC(2023, 3, 27, 2, 0, 0);
const MID = '4893264345023567';

/**
 * A check whose fetch was rejected (shared politeness slots in Redis out of reach) never reached
 * the platform: the engine records no observation of the post and tries it again later.
 */
describe('a rejected fetch in the embedded engine', () => {
  it('records nothing about the target and defers it by confirmAfter', async () => {
    const store = Store.open(join(tempDir('censorwatch-rejected-'), 'r.db'));
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
          cb();
        },
      }),
    );
    try {
      const config = parseConfig(
        {
          database: store.file,
          schedule: { confirmAfter: '5m' },
          watches: [{ id: 'w', name: 'w', weibo: { posts: [MID] } }],
        },
        '<test>',
      );
      const clock = new ManualClock(T0);
      let asked = 0;
      const http: HttpClient = {
        fetch: () => {
          asked++;
          return Promise.reject(new PolitenessUnavailableError('cannot reserve a request slot in Redis'));
        },
      };
      const ctx = { http, clock };
      const engine = createEngine({
        config,
        store,
        adapters: { weibo: new WeiboAdapter(ctx, { cookie: 'SUB=x' }), netease: new NeteaseAdapter(ctx) },
        clock,
        logger,
      });
      engine.sync();

      expect(await engine.tick()).toBe(1);
      expect(asked).toBe(1);
      const target = store.findTarget({ platform: 'weibo', kind: 'post', id: MID })!;
      expect(store.observationsOf(target.rowId)).toEqual([]);
      expect(store.getTarget(target.rowId)?.nextCheckAt).toBe(T0 + 5 * 60_000);
      expect(lines.find((l) => l.msg === 'work item failed')).toMatchObject({
        err: { type: 'PolitenessUnavailableError' },
      });
      // Not due before then: the next round takes nothing.
      expect(await engine.tick()).toBe(0);
    } finally {
      store.close();
    }
  });
});
