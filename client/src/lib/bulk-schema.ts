import { z } from 'zod';

export type Kind = 'string' | 'number' | 'boolean';

/** An object schema's plain fields (a string, number or boolean, formats aside) and the rest. */
export function fieldKinds(element: z.ZodObject): { kinds: [string, Kind][]; others: [string, z.ZodType][] } {
  const kinds: [string, Kind][] = [];
  const others: [string, z.ZodType][] = [];
  for (const [key, field] of Object.entries(element.shape as Record<string, z.ZodType>)) {
    const type = field._zod.def.type;
    if (type === 'string' || type === 'number' || type === 'boolean') kinds.push([key, type]);
    else others.push([key, field]);
  }
  return { kinds, others };
}

/**
 * A zod schema for a large array of flat objects (the 50,000 seats of a stadium's layout) that checks each element
 * with a plain loop: every field of `element` present with its JSON type. Jitless zod (the page's CSP forbids eval)
 * spends about a second of a phone's main thread on 50,000 seats; this loop, a few milliseconds. Fields whose
 * schema is not a plain string, number or boolean go through `element` itself; the formats of plain fields (a
 * uuid, an integer) are not re-checked.
 */
export function bulkArrayOf<T extends z.ZodObject>(element: T): z.ZodType<z.infer<T>[]> {
  const { kinds, others } = fieldKinds(element);
  const rest = others.length ? z.object(Object.fromEntries(others)) : null;
  const fits = (item: unknown): boolean => {
    if (typeof item !== 'object' || item === null) return false;
    const record = item as Record<string, unknown>;
    for (const [key, kind] of kinds) {
      const value = record[key];
      if (typeof value !== kind || (kind === 'number' && !Number.isFinite(value))) return false;
    }
    return rest === null || rest.safeParse(item).success;
  };
  return z.custom<z.infer<T>[]>((value) => Array.isArray(value) && value.every(fits));
}
