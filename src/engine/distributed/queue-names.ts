/** The queues of a deployment; their Redis keys start with `<queue.prefix>:<name>:`. */
export const QUEUE_NAMES = ['schedule', 'discover', 'check', 'record', 'alert'] as const;
/** One of {@link QUEUE_NAMES}. */
export type QueueName = (typeof QUEUE_NAMES)[number];
