export * from './types';
export * from './errors';
export * from './schema';
export * from './load';
export { durationSuggestion, LIMITS, redisUrlProblem } from './fields';
export { decodeUtf8 } from './encoding';
export { expandHome } from './paths';
export { configWarnings } from './warnings';
