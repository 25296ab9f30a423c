import { createServer, type Server } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/store/store';
import { cli } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'censorwatch-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = join(dir, 'w.yaml');
writeFileSync(
  config,
  `database: ${dir}/w.db\nwatches:\n  - id: un-vote\n    weibo: { keywords: ["联合国"] }\n`,
);

/** A usage error is one line on stderr, nothing on stdout, exit 2, never a stack trace. */
async function usage(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
  expect(r.stderr.split('\n')).toHaveLength(2); // the line and its newline
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r.stderr.trimEnd();
}

describe('usage errors: one line naming the flag and the --help to read, exit 2', () => {
  it('report --baseline names --baseline, not --watch', async () => {
    expect(await usage(['report', '--config', config, '--format', 'md', '--baseline', 'nonexistent'])).toBe(
      'censorwatch: --baseline: unknown watch id "nonexistent" (known: un-vote); see censorwatch report --help',
    );
  });

  it('a word too many names the word and what the command takes', async () => {
    expect(await usage(['export', '--config', config, '--format', 'csv', 'targets'])).toBe(
      'censorwatch: unexpected argument "targets": export takes no arguments; see censorwatch export --help',
    );
    expect(await usage(['show', '--config', config, 'weibo:1', 'weibo:2'])).toBe(
      'censorwatch: unexpected argument "weibo:2": show takes only <platform:id>; see censorwatch show --help',
    );
    expect(await usage(['alerts', 'replay', '--config', config, 'lab'])).toBe(
      'censorwatch: unexpected argument "lab": alerts replay takes no arguments; see censorwatch alerts replay --help',
    );
  });

  it('a config file given without --config says which flag it wants', async () => {
    expect(await usage(['status', 'watch.yaml'])).toBe(
      'censorwatch: --config is required: give the config file as --config watch.yaml, not as an argument; see censorwatch status --help',
    );
    expect(await usage(['run', '--duration', '1m', 'config/watch.json'])).toBe(
      'censorwatch: --config is required: give the config file as --config config/watch.json, not as an argument; see censorwatch run --help',
    );
    expect(await usage(['status'])).toBe(
      "censorwatch: required option '-c, --config <file>' not specified; see censorwatch status --help",
    );
  });

  it('an unknown flag is named with a suggestion, not buried under the help', async () => {
    expect(await usage(['export', '--config', config, '--fromat', 'csv'])).toBe(
      "censorwatch: unknown option '--fromat' (Did you mean --format?); see censorwatch export --help",
    );
  });

  it('demo --days past its bound, without --config too', async () => {
    expect(await usage(['demo', '--days', '1000'])).toBe(
      "censorwatch: --days: '1000' is invalid: expected a number of days above 0 and at most 30, e.g. 7 or 0.5; see censorwatch demo --help",
    );
  });

  it('sim --port 99999', async () => {
    expect(await usage(['sim', '--port', '99999'])).toBe(
      'censorwatch: --port: port 99999 is out of range (0 to 65535); see censorwatch sim --help',
    );
  });

  it('a port in use, and a bad --redis URL', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      expect(await usage(['sim', '--port', String(port)])).toBe(
        `censorwatch: --port: cannot listen on 127.0.0.1:${port}: the address is in use; see censorwatch sim --help`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    expect(await usage(['worker', '--config', config, '--role', 'fetcher', '--redis', 'rediss://'])).toBe(
      "censorwatch: --redis: 'rediss://' is invalid: rediss:// needs a host, e.g. rediss://redis.example.org:6379; see censorwatch worker --help",
    );
  });

  it('a value outside the choices names the flag and the choices', async () => {
    expect(await usage(['export', '--config', config, '--format', 'xml'])).toBe(
      "censorwatch: --format: 'xml' is not one of jsonl, csv; see censorwatch export --help",
    );
    expect(await usage(['run', '--config', config, '--duration', '5x'])).toBe(
      "censorwatch: --duration: '5x' is invalid: expected a duration like 30s, 10m, 2h or 7d; see censorwatch run --help",
    );
  });

  it('claim --baseline names --baseline', async () => {
    expect(await usage(['claim', '--config', config, '--watch', 'un-vote', '--baseline', 'nope'])).toBe(
      'censorwatch: --baseline: unknown watch id "nope" (known: un-vote); see censorwatch claim --help',
    );
  });

  describe('a flag naming something the database does not hold', () => {
    // Both watches are configured, but the database was written before `everyday` was added.
    const both = join(dir, 'both.yaml');
    beforeAll(() => {
      writeFileSync(
        both,
        `database: ${dir}/w.db\nwatches:\n  - id: un-vote\n    weibo: { keywords: ["联合国"] }\n  - id: everyday\n    weibo: { keywords: ["天气"] }\n`,
      );
      const db = Store.open(`${dir}/w.db`);
      db.syncWatches([{ id: 'un-vote', name: 'un-vote' }], [], Date.UTC(2026, 0, 1));
      db.close();
    });

    it('report and claim name --baseline and the database', async () => {
      const db = `${dir}/w.db`;
      expect(await usage(['report', '--config', both, '--format', 'md', '--baseline', 'everyday'])).toBe(
        `censorwatch: --baseline: watch "everyday" has no data in ${db} (no run has recorded it yet); see censorwatch report --help`,
      );
      expect(await usage(['claim', '--config', both, '--watch', 'un-vote', '--baseline', 'everyday'])).toBe(
        `censorwatch: --baseline: watch "everyday" has no data in ${db} (no run has recorded it yet); see censorwatch claim --help`,
      );
    });

    it('evidence --watch into a path that is a file names --out, not mkdir, and writes nothing', async () => {
      const file = join(dir, 'bundles');
      writeFileSync(file, 'kept\n');
      expect(await usage(['evidence', '--config', both, '--watch', 'un-vote', '--out', file])).toBe(
        `censorwatch: --out: cannot write bundles into ${file}: it is a file, and --watch needs a folder; see censorwatch evidence --help`,
      );
      expect(readFileSync(file, 'utf8')).toBe('kept\n');
      const under = join(file, 'deeper');
      expect(await usage(['evidence', '--config', both, '--watch', 'un-vote', '--out', under])).toBe(
        `censorwatch: --out: cannot make the folder ${under}: a part of that path is a file; see censorwatch evidence --help`,
      );
    });

    it('evidence names --target', async () => {
      const out = join(dir, 'b.zip');
      expect(await usage(['evidence', '--config', both, '--target', 'weibo:123', '--out', out])).toBe(
        `censorwatch: --target: no target weibo:123 in ${dir}/w.db; see censorwatch evidence --help`,
      );
    });
  });
});
