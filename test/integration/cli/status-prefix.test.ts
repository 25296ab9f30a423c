import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { stringify } from 'yaml';
import { clearPrefix, connectRedis, prefixOwner, type RedisHandle } from '../../../src/engine/distributed';
import { claimPrefix } from '../../../src/engine/distributed/prefix';
import { renderPrefixOwner, type StatusQueue } from '../../../src/cli/distributed';
import { databaseIdentity } from '../../../src/store/identity';
import { testRedisUrl } from '../../helpers/redis-server';
import { tempDatabase } from '../../helpers/temp-db';
import { cli } from './helpers';

const REDIS = testRedisUrl();
const PREFIX = `cwtest-status-${randomBytes(4).toString('hex')}`;

let redis: RedisHandle;
let config: string;
let identity: { id: string; createdAt: number; file: string };

beforeAll(async () => {
  redis = connectRedis(REDIS, 'producer', pino({ level: 'silent' }));
  await redis.ready();
  const { store, file, dir } = tempDatabase();
  identity = databaseIdentity(store)!;
  store.close();
  config = join(dir, 'watch.yaml');
  writeFileSync(
    config,
    stringify({
      database: file,
      watches: [{ id: 'w', name: 'W', weibo: { keywords: ['k'] } }],
      queue: { redis: REDIS, prefix: PREFIX },
    }),
  );
});
afterAll(async () => {
  await clearPrefix(redis, PREFIX);
  await redis.close();
});

interface Owner {
  id: string;
  database: string;
  thisDatabase: boolean;
}

async function statusJson(): Promise<StatusQueue> {
  const r = await cli(['status', '--config', config, '--no-session', '--json'], { timeoutMs: 120_000 });
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { queue: StatusQueue }).queue;
}

describe('status in distributed mode: which database owns the queue prefix', () => {
  it('unclaimed, then this database, then another: and status itself never claims it', async () => {
    const unclaimed = await statusJson();
    expect(unclaimed.owner).toBeNull();
    expect(renderPrefixOwner(unclaimed)).toContain(`prefix ${PREFIX}: not claimed by any database yet`);
    // Read-only: the prefix is still unclaimed after status looked at it.
    expect(await prefixOwner(redis, PREFIX)).toBeNull();

    await claimPrefix(redis, PREFIX, identity);
    const ours = await statusJson();
    expect(ours.owner).toMatchObject<Partial<Owner>>({
      id: identity.id,
      database: identity.file,
      thisDatabase: true,
    });
    expect(renderPrefixOwner(ours)).toContain(`prefix ${PREFIX}: owned by this database (${identity.file}`);

    await clearPrefix(redis, PREFIX);
    const other = { id: 'f'.repeat(32), createdAt: Date.UTC(2026, 0, 1), file: '/srv/other.db' };
    await claimPrefix(redis, PREFIX, other);
    const theirs = await statusJson();
    expect(theirs.owner).toMatchObject<Partial<Owner>>({
      id: other.id,
      database: '/srv/other.db',
      thisDatabase: false,
    });
    const text = await cli(['status', '--config', config, '--no-session'], { timeoutMs: 120_000 });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `prefix ${PREFIX}: owned by ANOTHER database, id ${other.id} (/srv/other.db`,
    );
    expect((await prefixOwner(redis, PREFIX))?.id).toBe(other.id);
  }, 600_000);
});
