// Exact decimal numbers with the semantics of Python's `decimal` module in its default context
// (28 significant digits, ROUND_HALF_EVEN), which is what Beancount computes with. A value is
// `coef × 10^exp` with a BigInt coefficient, so sums keep the exponent Python would keep
// (`1.50 + 1` is `2.50`) and `toString()` prints exactly what Python's `str(Decimal)` prints.
// Measured faster than decimal.js for the ledger's workload (mostly parse, add, compare) while
// staying exact; see bench/ledger.bench.ts.

/** Python's default context precision. */
export const PRECISION = 28;
const LIMIT = 10n ** BigInt(PRECISION);
const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 64; i++, p *= 10n) POW10.push(p);

function pow10(n: number): bigint {
  return n <= 64 ? POW10[n]! : 10n ** BigInt(n);
}

function digitCount(c: bigint): number {
  const a = c < 0n ? -c : c;
  if (a < 10000000000000000n) {
    let n = 1;
    let v = a;
    while (v >= 10n) {
      v /= 10n;
      n++;
    }
    return n;
  }
  return a.toString().length;
}

/** Divides `c` by 10^shift rounding half-even. */
function shiftRoundHalfEven(c: bigint, shift: number): bigint {
  const d = pow10(shift);
  let q = c / d;
  const r = c - q * d;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice > d || (twice === d && (q & 1n) !== 0n)) q += c < 0n ? -1n : 1n;
  return q;
}

export class Dec {
  constructor(
    readonly coef: bigint,
    readonly exp: number,
  ) {}

  static readonly ZERO = new Dec(0n, 0);
  static readonly ONE = new Dec(1n, 0);

  /** Parses `123`, `-1,234.50`, `.5`, `5.` (Beancount's number token, commas allowed). */
  static parse(text: string): Dec | null {
    let i = 0;
    const n = text.length;
    let neg = false;
    if (text.charCodeAt(0) === 45) {
      neg = true;
      i = 1;
    } else if (text.charCodeAt(0) === 43) i = 1;
    let small = 0;
    let count = 0;
    let frac = -1;
    for (; i < n; i++) {
      const ch = text.charCodeAt(i);
      if (ch >= 48 && ch <= 57) {
        small = small * 10 + (ch - 48);
        count++;
        if (frac >= 0) frac++;
      } else if (ch === 44 && frac < 0) continue;
      else if (ch === 46 && frac < 0) frac = 0;
      else return null;
    }
    if (count === 0) return null;
    let coef = count <= 15 ? BigInt(small) : BigInt(text.replace(/[^0-9]/g, ''));
    if (neg) coef = -coef;
    // Like Python's Decimal(str): exact, no rounding to the context at construction.
    return new Dec(coef, frac < 0 ? 0 : -frac);
  }

  static fromInt(n: number): Dec {
    return new Dec(BigInt(n), 0);
  }

  /** Rounds to the context precision as Python's `_fix` does. */
  static fixed(coef: bigint, exp: number): Dec {
    if (coef >= LIMIT || coef <= -LIMIT) {
      const excess = digitCount(coef) - PRECISION;
      let c = shiftRoundHalfEven(coef, excess);
      let e = exp + excess;
      if (c >= LIMIT || c <= -LIMIT) {
        c /= 10n;
        e += 1;
      }
      return new Dec(c, e);
    }
    return new Dec(coef, exp);
  }

  isZero(): boolean {
    return this.coef === 0n;
  }
  sign(): number {
    return this.coef > 0n ? 1 : this.coef < 0n ? -1 : 0;
  }

  neg(): Dec {
    return this.coef === 0n ? this : new Dec(-this.coef, this.exp);
  }
  abs(): Dec {
    return this.coef < 0n ? new Dec(-this.coef, this.exp) : this;
  }

  add(o: Dec): Dec {
    if (this.exp === o.exp) return Dec.fixed(this.coef + o.coef, this.exp);
    if (this.exp < o.exp) return Dec.fixed(this.coef + o.coef * pow10(o.exp - this.exp), this.exp);
    return Dec.fixed(this.coef * pow10(this.exp - o.exp) + o.coef, o.exp);
  }
  /** Exact sum (no rounding to the context precision). */
  addExact(o: Dec): Dec {
    if (this.exp === o.exp) return new Dec(this.coef + o.coef, this.exp);
    if (this.exp < o.exp) return new Dec(this.coef + o.coef * pow10(o.exp - this.exp), this.exp);
    return new Dec(this.coef * pow10(this.exp - o.exp) + o.coef, o.exp);
  }
  /** Exact product (no rounding to the context precision). */
  mulExact(o: Dec): Dec {
    return new Dec(this.coef * o.coef, this.exp + o.exp);
  }
  sub(o: Dec): Dec {
    return this.add(o.neg());
  }
  mul(o: Dec): Dec {
    return Dec.fixed(this.coef * o.coef, this.exp + o.exp);
  }

  /** Python's Decimal `/`: exact quotients take the ideal exponent, others 28 digits half-even. */
  div(o: Dec): Dec | null {
    if (o.coef === 0n) return null;
    const idealExp = this.exp - o.exp;
    if (this.coef === 0n) return new Dec(0n, idealExp);
    const negative = this.coef < 0n !== o.coef < 0n;
    const a = this.coef < 0n ? -this.coef : this.coef;
    const b = o.coef < 0n ? -o.coef : o.coef;
    const shift = digitCount(b) - digitCount(a) + PRECISION + 1;
    let exp = this.exp - o.exp - shift;
    let coef: bigint;
    let rem: bigint;
    if (shift >= 0) {
      const num = a * pow10(shift);
      coef = num / b;
      rem = num - coef * b;
    } else {
      const den = b * pow10(-shift);
      coef = a / den;
      rem = a - coef * den;
    }
    if (rem !== 0n) {
      if (coef % 5n === 0n) coef += 1n;
    } else {
      while (exp < idealExp && coef % 10n === 0n) {
        coef /= 10n;
        exp += 1;
      }
    }
    return Dec.fixed(negative ? -coef : coef, exp);
  }

  cmp(o: Dec): number {
    if (this.exp === o.exp) return this.coef < o.coef ? -1 : this.coef > o.coef ? 1 : 0;
    const s1 = this.sign();
    const s2 = o.sign();
    if (s1 !== s2) return s1 < s2 ? -1 : 1;
    let a = this.coef;
    let b = o.coef;
    if (this.exp < o.exp) b *= pow10(o.exp - this.exp);
    else a *= pow10(this.exp - o.exp);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  eq(o: Dec): boolean {
    return this.cmp(o) === 0;
  }

  /** Python's `quantize` to an exponent, half-even. */
  quantize(exp: number): Dec {
    if (exp === this.exp) return this;
    if (exp < this.exp) return new Dec(this.coef * pow10(this.exp - exp), exp);
    return new Dec(shiftRoundHalfEven(this.coef, exp - this.exp), exp);
  }

  /** Python's `normalize`: strip trailing zeros (zero becomes `0`). */
  normalize(): Dec {
    if (this.coef === 0n) return Dec.ZERO;
    let c = this.coef;
    let e = this.exp;
    while (c % 10n === 0n) {
      c /= 10n;
      e++;
    }
    return new Dec(c, e);
  }

  /** Number of digits of the coefficient (Python's `len(as_tuple().digits)`). */
  digits(): number {
    return digitCount(this.coef);
  }

  /** A canonical key: equal values give equal keys (`1.0` and `1.00` alike). */
  key(): string {
    return this.normalize().toString();
  }

  /** Python's `str(Decimal)`. */
  toString(): string {
    const negative = this.coef < 0n;
    const coef = (negative ? -this.coef : this.coef).toString();
    const exp = this.exp;
    const leftdigits = exp + coef.length;
    let dotplace: number;
    if (exp <= 0 && leftdigits > -6) dotplace = leftdigits;
    else dotplace = 1;
    let intpart: string;
    let fracpart: string;
    if (dotplace <= 0) {
      intpart = '0';
      fracpart = `.${'0'.repeat(-dotplace)}${coef}`;
    } else if (dotplace >= coef.length) {
      intpart = coef + '0'.repeat(dotplace - coef.length);
      fracpart = '';
    } else {
      intpart = coef.slice(0, dotplace);
      fracpart = `.${coef.slice(dotplace)}`;
    }
    let expPart = '';
    if (leftdigits !== dotplace) {
      const e = leftdigits - dotplace;
      expPart = `E${e >= 0 ? '+' : '-'}${Math.abs(e)}`;
    }
    return `${negative ? '-' : ''}${intpart}${fracpart}${expPart}`;
  }
}
