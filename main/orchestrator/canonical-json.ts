// Canonical JSON: one byte sequence per value, so equal results serialise identically whatever the
// order their keys were built in. Used for the cache key (parameters), for panel data (re-running a
// pattern with the same commit and pack must give byte-identical panels) and for recorded runs.
//
// Rules: object keys sorted by UTF-16 code unit (Array.prototype.sort's default), no whitespace,
// `undefined` object members dropped (as JSON.stringify does), `toJSON()` honoured (Decimal, Date),
// and anything JSON cannot represent faithfully refused: NaN, ±Infinity, bigint, functions, symbols,
// `undefined` inside arrays, class instances without toJSON, and cycles.
import { createHash } from 'node:crypto';

export class CanonicalJsonError extends Error {
  constructor(
    readonly where: string,
    what: string,
  ) {
    super(`Not plain JSON at ${where}: ${what}`);
    this.name = 'CanonicalJsonError';
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function write(value: unknown, where: string, seen: Set<object>, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(where, 'a number that is not finite');
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(where, `a value of type ${typeof value}`);
  }
  const obj = value;
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    write((toJSON as () => unknown).call(obj), where, seen, out);
    return;
  }
  if (seen.has(obj)) throw new CanonicalJsonError(where, 'a cycle');
  seen.add(obj);
  if (Array.isArray(obj)) {
    out.push('[');
    obj.forEach((item: unknown, index) => {
      if (index > 0) out.push(',');
      if (item === undefined) throw new CanonicalJsonError(`${where}[${index}]`, 'undefined in an array');
      write(item, `${where}[${index}]`, seen, out);
    });
    out.push(']');
  } else {
    if (!isPlainObject(obj)) throw new CanonicalJsonError(where, 'an object that is not plain');
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    out.push('{');
    keys.forEach((key, index) => {
      if (index > 0) out.push(',');
      out.push(JSON.stringify(key), ':');
      write(record[key], `${where}.${key}`, seen, out);
    });
    out.push('}');
  }
  seen.delete(obj);
}

/** The canonical serialisation of a JSON value; throws CanonicalJsonError for anything else. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, '$', new Set(), out);
  return out.join('');
}

/**
 * The value as plain JSON data (a deep copy) with keys inserted in canonical order. JavaScript
 * still lists integer-like keys first, so serialise with canonicalJson, never JSON.stringify, when
 * the bytes matter.
 */
export function canonicalize<T>(value: T): T {
  return JSON.parse(canonicalJson(value)) as T;
}

/** SHA-256 (hex) of the canonical serialisation. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
