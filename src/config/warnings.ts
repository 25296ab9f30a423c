import type { ConfigIssue } from '../errors';
import type { Config } from './types';

/**
 * What a valid config asks for that a researcher should hear about when a run starts: for now, each
 * webhook configured with `unsigned: true`, named, since its receiver cannot tell a real delivery
 * from a forged one. Commands that send alerts log each one as a warning before they start.
 */
export function configWarnings(config: Pick<Config, 'alerts'>): ConfigIssue[] {
  return config.alerts.webhooks.flatMap((hook, i): ConfigIssue[] =>
    hook.secret === null
      ? [
          {
            path: `alerts.webhooks[${i}]`,
            message: `webhook ${JSON.stringify(hook.name)} sends unsigned deliveries (unsigned: true): its receiver cannot tell them from forged ones`,
          },
        ]
      : [],
  );
}
