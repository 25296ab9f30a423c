/** `alerts test|replay`: webhook test events and dead-letter replay. */
import type { Command } from 'commander';
import { Alerter } from '../../alerts/alerter';
import { loadConfig } from '../../config';
import { ConfigError } from '../../errors';
import type { Config } from '../../config/types';
import { systemClock } from '../../domain/clock';
import { Store } from '../../store/store';
import { openExistingWritableStore } from '../evidence-support';
import { CONFIG_OPTION_HELP, pathArg, type CliContext } from '../support';
import { plural } from '../../report/format';

/** Registers `alerts test|replay` on the program. */
export function alertsCommand(program: Command, { logger }: CliContext): Command {
  const alerts = program
    .command('alerts')
    .description('webhook alerts: send a signed test event, replay dead letters');
  const requireWebhook = (config: Config, name: string | undefined): void => {
    if (name === undefined || config.alerts.webhooks.some((w) => w.name === name)) return;
    const known = config.alerts.webhooks.map((w) => w.name).join(', ') || 'none configured';
    throw new ConfigError([
      { path: '--webhook', message: `unknown webhook ${JSON.stringify(name)} (known: ${known})` },
    ]);
  };
  alerts
    .command('test')
    .description(
      'send a signed test event to one webhook and say what it answered (no database needed; nothing is recorded)',
    )
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .requiredOption('--webhook <name>', 'webhook name from alerts.webhooks')
    .action(async (opts: { config: string; webhook: string }) => {
      const config = loadConfig(opts.config);
      requireWebhook(config, opts.webhook);
      // The test message is never stored, so it needs no database: a webhook can be tried before the
      // first run, and a mistyped `database` never becomes a new file. The alerter gets a throwaway one.
      const store = Store.open(':memory:');
      const alerter = new Alerter({ store, webhooks: config.alerts.webhooks, clock: systemClock, logger });
      try {
        const r = await alerter.sendTest(opts.webhook);
        process.stdout.write(
          `${opts.webhook}: ${r.ok ? 'delivered' : 'failed'}${r.status !== null ? ` (HTTP ${r.status})` : ''}${r.error ? ` — ${r.error}` : ''}; webhook-id ${r.messageId}\n`,
        );
        if (!r.ok) process.exitCode = 1;
      } finally {
        alerter.close();
        store.close();
      }
    });
  alerts
    .command('replay')
    .description('re-send dead letters (all webhooks, or one), keeping their webhook-id')
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .option('--webhook <name>', 'only this webhook')
    .action(async (opts: { config: string; webhook?: string }) => {
      const config = loadConfig(opts.config);
      requireWebhook(config, opts.webhook);
      // Dead letters live in the database: a mistyped path has none, and must not become a new file.
      const store = openExistingWritableStore(config);
      const alerter = new Alerter({ store, webhooks: config.alerts.webhooks, clock: systemClock, logger });
      try {
        const r = await alerter.replayDead(opts.webhook);
        process.stdout.write(`requeued ${plural(r.requeued, 'dead letter')}, delivered ${r.delivered}\n`);
        if (r.delivered < r.requeued) process.exitCode = 1;
      } finally {
        alerter.close();
        store.close();
      }
    });
  return alerts;
}
