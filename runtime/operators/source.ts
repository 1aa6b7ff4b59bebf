import { generator } from './generator.ts';
import { textSource } from './text-source.ts';
import type { OperatorDefinition } from './types.ts';
import { keepSourceOffsets } from './state.ts';

/**
 * `source`: a generator when `params.count` is given, otherwise a text source (the bundled text by default),
 * so that job graphs written for the models (kind `source`, no params) run as a real word count input.
 */
function delegate(params: Readonly<Record<string, unknown>>): OperatorDefinition {
  return params['count'] !== undefined ? generator : textSource;
}

export const source: OperatorDefinition = {
  kind: 'source',
  aliases: [],
  description: 'generator if params.count is given, else text-source (default file carroll-alice.txt)',
  inputs: 'none',
  checkpoints: 'snapshot',
  rescaleState: keepSourceOffsets,
  prepare: (params, site) => delegate(params).prepare(params, site),
  recordsEmitted: (params, k, p) => delegate(params).recordsEmitted!(params, k, p),
  create: (ctx) => delegate(ctx.params).create(ctx),
};
