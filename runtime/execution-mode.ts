/**
 * How a run executes, in a module of its own (no imports) so that the CLI's help can list the modes without loading
 * the runtime.
 *
 * `blocking`: a subtask starts when all its inputs are complete (batch, the `sequenced` model's start >= end);
 * `pipelined`: every subtask is deployed at once and records stream through bounded channels.
 */
export type ExecutionMode = 'blocking' | 'pipelined';
export const EXECUTION_MODES: readonly ExecutionMode[] = ['blocking', 'pipelined'];
