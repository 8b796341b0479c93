// Provider numbers become exact decimal strings. JSON hands us IEEE doubles; the shortest
// round-trip text of a double (`String(n)`) is exactly the digits the provider wrote for any price
// with up to 15 significant digits, so we keep that text and never do arithmetic on the float.
// Exponent forms ("1e-7", "1.5e+21") are rewritten as plain decimals by moving the point, textually.

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

export function decimalText(input: number | string): string {
  const text = typeof input === 'number' ? numberText(input) : input.trim();
  if (!PLAIN_DECIMAL.test(text)) throw new RangeError('not a plain decimal number');
  return text;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError('not a finite number');
  const text = String(n);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', intPart = '', fracPart = '', expText = '0'] = match;
  const exp = Number(expText);
  const digits = intPart + fracPart;
  const point = intPart.length + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + out;
}
