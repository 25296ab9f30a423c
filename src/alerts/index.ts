/** Webhook alerts: Standard Webhooks signing, payloads, durable delivery with retries and dead letters. */
export {
  Alerter,
  WebhookConfigError,
  countDeliveries,
  digestMessageId,
  eventMessageId,
  listDeadLetters,
  type AlerterOptions,
  type DeadLetter,
  type DeliveryCount,
  type ReplayResult,
  type TestResult,
} from './alerter';
export * from './payload';
export * from './retry';
export { undiciSender, type WebhookRequest, type WebhookResponse, type WebhookSender } from './sender';
export * from './sign';
