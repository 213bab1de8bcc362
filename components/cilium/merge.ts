/** Helm-style value merge: objects merge recursively, arrays and scalars (null too) replace. */

export type PlainObject = Record<string, unknown>;

export const isPlainObject = (v: unknown): v is PlainObject =>
    typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** A new object: `override` wins; neither input is modified. `undefined` in override leaves the base value. */
export function deepMerge(base: PlainObject, override: PlainObject): PlainObject {
    const out: PlainObject = { ...base };
    for (const [key, value] of Object.entries(override)) {
        if (value === undefined) continue;
        const current = out[key];
        out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : clone(value);
    }
    return out;
}

function clone(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(clone);
    if (isPlainObject(v)) return deepMerge({}, v);
    return v;
}
