export * from './types';
export * from './errors';
export * from './schema';
export * from './load';
