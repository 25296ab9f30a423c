/**
 * Distributed mode: the embedded engine's parts as roles that talk through BullMQ queues on Redis,
 * with SQLite still the source of truth and the recorder its single writer.
 */
export { AlerterRole, type AlertPoller, type AlerterRoleOptions } from './alerter';
export {
  clearQueuePrefix,
  describeContents,
  type ClearOptions,
  type ClearOutcome,
  type PrefixContents,
} from './clear';
export { decodePayload, encodePayload } from './codec';
export { FetcherRole, type FetcherRoleOptions } from './fetcher';
export {
  QUEUE_NAMES,
  Queues,
  jobIdOf,
  type ClaimSummary,
  type DeadJob,
  type HostState,
  type QueueCounts,
  type QueueName,
  type QueuesOptions,
} from './queues';
export {
  OWN_KEYS,
  PrefixInUseError,
  claimPrefix,
  clearPrefix,
  escapeGlob,
  isPrefixKey,
  prefixKey,
  prefixKeys,
  prefixOwner,
  type PrefixOwner,
} from './prefix';
export {
  BullMQDispatcher,
  PIPELINE_RECHECK_MS,
  type BullMQDispatcherOptions,
  type QueueRound,
} from './dispatcher';
export { RedisHostHealth, readHostStates, writeHostState } from './host-health';
export { RedisPoliteness, type Reservation } from './politeness';
export { RecorderRole, type RecorderRoleOptions } from './recorder';
export {
  RedisUnreachableError,
  connectRedis,
  maskRedisUrl,
  probeRedis,
  type ConnectionRole,
  type RedisHandle,
} from './redis';
export { SchedulerRole, type SchedulerRoleOptions } from './scheduler';
export { superviseRoles, type Role, type ShutdownSignals, type StopOutcome } from './shutdown';
export { gatherQueueStatus, renderQueueStatus, unreachableStatus, type QueueStatus } from './status';
