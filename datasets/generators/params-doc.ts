import type { z } from 'zod';

/** One parameter of a generator, for `slotlab generate --list` and docs. */
export interface ParamDoc {
  /** `layers`, or `msPer1000Records.map` for a field of an object parameter. */
  readonly name: string;
  /** The default as JSON text; undefined when the parameter is optional without a default. */
  readonly defaultJson: string | undefined;
  /** What a value must be, as the generator's own error message says it. */
  readonly expected: string;
}

interface Def {
  readonly type: string;
  readonly defaultValue?: unknown;
  readonly innerType?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;

/**
 * The parameters of a generator's zod schema with their defaults and the expectation its errors state (read by
 * parsing `null`, so the text is the one a wrong `--param` gets). Object parameters are listed field by field
 * (`link.latencyMs`), the way `--param` sets them.
 */
export function describeParams(schema: z.ZodObject, prefix = '', parentDefault?: Record<string, unknown>): ParamDoc[] {
  const out: ParamDoc[] = [];
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    let inner = field;
    let value: unknown = parentDefault?.[key];
    let hasDefault = parentDefault !== undefined && key in parentDefault;
    for (let def = defOf(inner); def.innerType !== undefined && (def.type === 'default' || def.type === 'optional'); def = defOf(inner)) {
      if (def.type === 'default') {
        value = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
        hasDefault = true;
      }
      inner = def.innerType;
    }
    const name = `${prefix}${key}`;
    if (defOf(inner).type === 'object') {
      out.push(...describeParams(inner as z.ZodObject, `${name}.`, hasDefault && typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}));
      continue;
    }
    const probe = inner.safeParse(null);
    out.push({ name, defaultJson: hasDefault && value !== undefined ? JSON.stringify(value) : undefined, expected: probe.success ? 'any value' : probe.error.issues[0]!.message });
  }
  return out;
}
