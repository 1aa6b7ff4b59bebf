/** Flink's TaskManager memory model: option reading, size rules, the derivation. */
export * from './errors.ts';
export * from './memory-size.ts';
export * from './flink-config.ts';
export * from './task-manager-memory.ts';
