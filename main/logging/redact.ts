// What must never reach a log line: API keys, passphrases, store keys, tokens, and portfolio values
// (amounts, units, prices, costs, holdings). Redaction works three ways, because no single one is
// enough: by property name at any depth, by the exact value of every secret the process has handled
// (the vault registers each one), and by patterns for credentials embedded in URLs and headers.

export const REDACTED = '[redacted]';

/** Property names whose values are withheld wherever they appear (matched case-insensitively). */
const SENSITIVE_KEY =
  /(api_?key|apikey|secret|passphrase|password|passwd|token|authorization|cookie|store_?key|private_?key|credential|^key$|amount|units|quantity|^qty$|price|cost|balance|value|holdings?|positions?|lots?|valuation|market_?value|pnl|gain|income|cash)/i;

/** Fields that look sensitive by name but are safe and useful to keep. */
const SAFE_KEYS = new Set([
  'trace_id',
  'traceId',
  'level',
  'time',
  'msg',
  'pid',
  'hostname',
  'code',
  'channel',
]);

/** Credentials inside strings: query parameters and bearer headers. */
const SECRET_PATTERNS: RegExp[] = [
  /((?:api_?key|apikey|token|access_token|key|password|secret)=)[^&\s"']+/gi,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /(X-Api-Key:\s*)\S+/gi,
];

const MIN_SECRET_LENGTH = 4;
const knownSecrets = new Set<string>();

/** Every secret value the process handles is registered so it can be scrubbed from any string. */
export function registerSecret(value: string): void {
  if (value.length >= MIN_SECRET_LENGTH) knownSecrets.add(value);
}

export function redactString(input: string): string {
  let out = input;
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, `$1${REDACTED}`);
  return out;
}

function isSensitiveKey(key: string): boolean {
  return !SAFE_KEYS.has(key) && SENSITIVE_KEY.test(key);
}

/** A redacted deep copy of a log record. Cycles and very deep objects are cut, never followed. */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[truncated]';
  seen.add(value);
  if (value instanceof Error) {
    return { type: value.name, message: redactString(value.message) };
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isSensitiveKey(key) ? REDACTED : redactValue(inner, depth + 1, seen);
  }
  return out;
}
