/** `timestamp`: RFC 3161 time-stamp of the log's head, now. */
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { ConfigError } from '../../errors';
import { systemClock } from '../../domain/clock';
import { isoUtc } from '../../domain/clock';
import { Timestamper } from '../../evidence/timestamper';
import { openExistingWritableStore } from '../evidence-support';
import { CONFIG_OPTION_HELP, pathArg, type CliContext } from '../support';

/** True for an absolute http(s) URL, as `evidence.timestamp.url` must be. */
function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Registers `timestamp` on the program. */
export function timestampCommand(program: Command, { logger }: CliContext): Command {
  return program
    .command('timestamp')
    .description(
      "time-stamp the observation log's head now with the RFC 3161 authority at evidence.timestamp.url (or --tsa); exits 1 if it fails",
    )
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .option('--tsa <url>', 'time-stamp authority to ask instead of evidence.timestamp.url')
    .action(async (opts: { config: string; tsa?: string }) => {
      const config = loadConfig(opts.config);
      if (opts.tsa !== undefined && !isHttpUrl(opts.tsa))
        throw new ConfigError([
          {
            path: '--tsa',
            message: `expected an http(s) URL of an RFC 3161 time-stamp authority, got ${JSON.stringify(opts.tsa)}`,
          },
        ]);
      const url = opts.tsa ?? config.evidence.timestamp?.url;
      if (!url)
        throw new ConfigError([
          { path: 'evidence.timestamp.url', message: 'required to time-stamp (or pass --tsa URL)' },
        ]);
      const store = openExistingWritableStore(config);
      try {
        const stamper = new Timestamper({
          store,
          url,
          every: config.evidence.timestamp?.every ?? 3_600_000,
          clock: systemClock,
          logger,
        });
        const r = await stamper.stamp(true);
        if (r.state === 'failed') {
          process.stderr.write(`time-stamp failed: ${r.row.error ?? 'unknown error'}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(
          `time-stamped log entry ${r.row.seq} ${r.row.head} at ${isoUtc(r.row.genTime) ?? 'an unstated time'} by ${url}\n`,
        );
      } finally {
        store.close();
      }
    });
}
