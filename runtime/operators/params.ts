import { InvalidInstanceError, describeValue } from '../../models/errors.ts';
import type { ParamsSite } from './types.ts';

/** Reads an operator's `params`, with errors naming the instance, the operator and the field. */
export class ParamReader {
  constructor(
    private readonly params: Readonly<Record<string, unknown>>,
    private readonly site: ParamsSite,
  ) {}

  fail(name: string, reason: string): never {
    throw new InvalidInstanceError(this.site.source, `${this.site.at}.params.${name}`, reason);
  }

  has(name: string): boolean {
    return this.params[name] !== undefined;
  }

  raw(name: string): unknown {
    return this.params[name];
  }

  number(name: string, options: { readonly default?: number; readonly min?: number; readonly integer?: boolean; readonly positive?: boolean }): number {
    const v = this.params[name];
    if (v === undefined) {
      if (options.default === undefined) this.fail(name, 'is required');
      return options.default;
    }
    if (typeof v !== 'number' || Number.isNaN(v)) this.fail(name, `should be a number, got ${describeValue(v)}`);
    if (options.integer && !Number.isInteger(v)) this.fail(name, `should be an integer, got ${describeValue(v)}`);
    if (options.positive && !(v > 0)) this.fail(name, `should be > 0, got ${describeValue(v)}`);
    if (options.min !== undefined && v < options.min) this.fail(name, `should be >= ${options.min}, got ${describeValue(v)}`);
    return v;
  }

  optionalNumber(name: string, options: { readonly min?: number; readonly integer?: boolean; readonly positive?: boolean }): number | undefined {
    return this.params[name] === undefined ? undefined : this.number(name, options);
  }

  string<T extends string>(name: string, options: { readonly default?: T; readonly oneOf?: readonly T[] }): T {
    const v = this.params[name];
    if (v === undefined) {
      if (options.default === undefined) this.fail(name, 'is required');
      return options.default;
    }
    if (typeof v !== 'string') this.fail(name, `should be a string, got ${describeValue(v)}`);
    if (options.oneOf && !(options.oneOf as readonly string[]).includes(v)) this.fail(name, `should be one of ${options.oneOf.join(', ')}, got ${describeValue(v)}`);
    return v as T;
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.params[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(name, `should be true or false, got ${describeValue(v)}`);
    return v;
  }
}
