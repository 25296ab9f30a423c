/** `login <platform>`: sign in in Chromium and save the session, or `--check` it. */
import { Argument, type Command } from 'commander';
import { loadConfig } from '../../config';
import { systemClock } from '../../domain/clock';
import { checkWeiboLogin, loginWeibo, prepareCookieFile, renderLoginCheck } from '../login';
import {
  CONFIG_OPTION_HELP,
  pathArg,
  positiveDurationArg,
  shutdownSignal,
  type CliContext,
} from '../support';

/** Registers `login <platform>` on the program. */
export function loginCommand(program: Command, { logger }: CliContext): Command {
  return program
    .command('login')
    .description(
      'log in in Chromium and save the session: weibo opens the QR sign-in page (headless: saves the QR code as a PNG and prints its path) and saves the cookies to platforms.weibo.cookieFile, mode 0600',
    )
    .addArgument(new Argument('<platform>', 'platform to log in to').choices(['weibo']))
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .option('--check', 'only check whether the saved session still works; exit 1 when it does not')
    .option(
      '--timeout <duration>',
      'how long to wait for the QR code to be scanned (default: 10m)',
      positiveDurationArg,
    )
    .option('--headed', 'show the Chromium window (overrides browser.headless)')
    .option('--headless', 'no window; save the QR code as a PNG (overrides browser.headless)')
    .option('--qr <file>', 'headless: where to save the QR code PNG', pathArg)
    .action(
      async (
        _platform: string,
        opts: {
          config: string;
          check?: boolean;
          timeout?: number;
          headed?: boolean;
          headless?: boolean;
          qr?: string;
        },
      ) => {
        if (opts.check) {
          const config = loadConfig(opts.config);
          const check = await checkWeiboLogin(config, systemClock, logger);
          process.stdout.write(
            `${renderLoginCheck(check, config.platforms.weibo.cookie !== '', config.platforms.weibo.hosts)}\n`,
          );
          if (check.state !== 'logged_in') process.exitCode = 1;
          return;
        }
        // The first login writes the cookie file; the config must load before it exists.
        prepareCookieFile(opts.config);
        const config = loadConfig(opts.config);
        await loginWeibo({
          config,
          logger,
          err: process.stderr,
          timeout: opts.timeout ?? 600_000,
          ...(opts.headed ? { headless: false } : opts.headless ? { headless: true } : {}),
          ...(opts.qr ? { qrPath: opts.qr } : {}),
          signal: shutdownSignal(logger),
        });
      },
    );
}
