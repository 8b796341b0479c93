// Exact decimal numbers with the semantics of Python's `decimal` module in its default context
// (28 significant digits, ROUND_HALF_EVEN), which is what Beancount computes with. A value is
// `coefficient × 10^exp`, so sums keep the exponent Python keeps (`1.50 + 1` is `2.50`) and
// `toString()` prints exactly what Python's `str(Decimal)` prints.
//
// Representation (chosen by measurement, see bench/ledger.bench.ts): the coefficient is a plain
// JS number while it is a safe integer (|c| < 2^53, i.e. up to 15 digits: almost every amount in a
// ledger), and a BigInt beyond that. Every operation checks that its fast-path result is still a
// safe integer (so still exact) and falls back to BigInt otherwise; rounding to 28 digits can
// only happen on the BigInt path. decimal.js was several times slower for parse + add + compare.

/** Python's default context precision. */
export const PRECISION = 28;
const LIMIT = 10n ** BigInt(PRECISION);
const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 64; i++, p *= 10n) POW10.push(p);
const POW10N: number[] = [];
for (let i = 0, p = 1; i <= 22; i++, p *= 10) POW10N.push(p);
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function pow10(n: number): bigint {
  return n <= 64 ? POW10[n]! : 10n ** BigInt(n);
}

function digitCountBig(c: bigint): number {
  return (c < 0n ? -c : c).toString().length;
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
  /** Coefficient when it is a safe integer (then `big` is null). */
  private readonly n: number;
  /** Coefficient when it is not a safe integer. */
  private readonly big: bigint | null;

  private constructor(
    n: number,
    big: bigint | null,
    readonly exp: number,
  ) {
    this.n = n;
    this.big = big;
  }

  static readonly ZERO = new Dec(0, null, 0);
  static readonly ONE = new Dec(1, null, 0);

  /** A value from a BigInt coefficient and exponent (exact, not rounded). */
  static of(coef: bigint, exp: number): Dec {
    if (coef <= 9007199254740991n && coef >= -9007199254740991n) return new Dec(Number(coef), null, exp);
    return new Dec(0, coef, exp);
  }
  /** A value from a safe-integer coefficient and exponent. */
  static small(coef: number, exp: number): Dec {
    return new Dec(coef === 0 ? 0 : coef, null, exp);
  }
  static fromInt(n: number): Dec {
    return Number.isSafeInteger(n) ? new Dec(n, null, 0) : Dec.of(BigInt(n), 0);
  }

  /** The coefficient as a BigInt. */
  get coef(): bigint {
    return this.big ?? BigInt(this.n);
  }

  /** Parses `123`, `1,234.50`, `.5`, `5.`, with an optional sign (commas ignored). Exact. */
  static parse(text: string): Dec | null {
    return Dec.parseRange(text, 0, text.length);
  }

  /** Like `parse`, over `text.slice(start, end)` without slicing. */
  static parseRange(text: string, start: number, end: number): Dec | null {
    let i = start;
    let neg = false;
    const c0 = text.charCodeAt(i);
    if (c0 === 45) {
      neg = true;
      i++;
    } else if (c0 === 43) i++;
    let small = 0;
    let count = 0;
    let frac = -1;
    for (; i < end; i++) {
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
    const exp = frac <= 0 ? 0 : -frac;
    if (count <= 15) return new Dec(neg && small !== 0 ? -small : small, null, exp);
    const coef = BigInt(text.slice(start, end).replace(/[^0-9]/g, ''));
    return Dec.of(neg ? -coef : coef, exp);
  }

  /** Rounds a BigInt coefficient to the context precision as Python's `_fix` does. */
  static fixed(coef: bigint, exp: number): Dec {
    if (coef >= LIMIT || coef <= -LIMIT) {
      const excess = digitCountBig(coef) - PRECISION;
      let c = shiftRoundHalfEven(coef, excess);
      let e = exp + excess;
      if (c >= LIMIT || c <= -LIMIT) {
        c /= 10n;
        e += 1;
      }
      return Dec.of(c, e);
    }
    return Dec.of(coef, exp);
  }

  /**
   * This value times 10^-minExp as a safe integer (for `exp >= minExp`), or NaN when that is not
   * exact; lets hot loops check sums without allocating.
   */
  scaledCoef(minExp: number): number {
    if (this.big !== null) return NaN;
    const k = this.exp - minExp;
    if (k < 0 || k > 22) return NaN;
    const v = this.n * POW10N[k]!;
    return v <= MAX_SAFE && v >= -MAX_SAFE ? v : NaN;
  }

  isZero(): boolean {
    return this.big === null ? this.n === 0 : false;
  }
  sign(): number {
    if (this.big === null) return this.n > 0 ? 1 : this.n < 0 ? -1 : 0;
    return this.big > 0n ? 1 : -1;
  }

  neg(): Dec {
    if (this.big === null) return this.n === 0 ? this : new Dec(-this.n, null, this.exp);
    return Dec.of(-this.big, this.exp);
  }
  /** Python's unary minus: negation, then rounding to the context (only big values can round). */
  negFixed(): Dec {
    return this.big === null ? this.neg() : Dec.fixed(-this.big, this.exp);
  }
  /** Python's abs(): like unary minus, rounds to the context precision. */
  abs(): Dec {
    if (this.big !== null) return Dec.fixed(this.big < 0n ? -this.big : this.big, this.exp);
    return this.n < 0 ? new Dec(-this.n, null, this.exp) : this;
  }

  add(o: Dec): Dec {
    if (this.big === null && o.big === null) {
      const d = this.exp - o.exp;
      if (d === 0) {
        const s = this.n + o.n;
        if (s <= MAX_SAFE && s >= -MAX_SAFE) return new Dec(s, null, this.exp);
      } else if (d > 0 && d <= 22) {
        const s = this.n * POW10N[d]! + o.n;
        if (s <= MAX_SAFE && s >= -MAX_SAFE && Math.abs(this.n * POW10N[d]!) <= MAX_SAFE)
          return new Dec(s, null, o.exp);
      } else if (d < 0 && d >= -22) {
        const s = this.n + o.n * POW10N[-d]!;
        if (s <= MAX_SAFE && s >= -MAX_SAFE && Math.abs(o.n * POW10N[-d]!) <= MAX_SAFE)
          return new Dec(s, null, this.exp);
      }
    }
    const a = this.coef;
    const b = o.coef;
    if (this.exp === o.exp) return Dec.fixed(a + b, this.exp);
    if (this.exp < o.exp) return Dec.fixed(a + b * pow10(o.exp - this.exp), this.exp);
    return Dec.fixed(a * pow10(this.exp - o.exp) + b, o.exp);
  }
  /** Exact sum (no rounding to the context precision). */
  addExact(o: Dec): Dec {
    if (this.big === null && o.big === null) {
      const r = this.add(o);
      if (r.big === null) return r;
    }
    const a = this.coef;
    const b = o.coef;
    if (this.exp === o.exp) return Dec.of(a + b, this.exp);
    if (this.exp < o.exp) return Dec.of(a + b * pow10(o.exp - this.exp), this.exp);
    return Dec.of(a * pow10(this.exp - o.exp) + b, o.exp);
  }
  sub(o: Dec): Dec {
    return this.add(o.neg());
  }
  mul(o: Dec): Dec {
    if (this.big === null && o.big === null) {
      const p = this.n * o.n;
      if (p <= MAX_SAFE && p >= -MAX_SAFE) return new Dec(p === 0 ? 0 : p, null, this.exp + o.exp);
    }
    return Dec.fixed(this.coef * o.coef, this.exp + o.exp);
  }
  /** Exact product (no rounding to the context precision). */
  mulExact(o: Dec): Dec {
    if (this.big === null && o.big === null) {
      const p = this.n * o.n;
      if (p <= MAX_SAFE && p >= -MAX_SAFE) return new Dec(p === 0 ? 0 : p, null, this.exp + o.exp);
    }
    return Dec.of(this.coef * o.coef, this.exp + o.exp);
  }

  /** Python's Decimal `/`: exact quotients take the ideal exponent, others 28 digits half-even. */
  div(o: Dec): Dec | null {
    if (o.isZero()) return null;
    const idealExp = this.exp - o.exp;
    if (this.isZero()) return new Dec(0, null, idealExp);
    const ac = this.coef;
    const bc = o.coef;
    const negative = ac < 0n !== bc < 0n;
    const a = ac < 0n ? -ac : ac;
    const b = bc < 0n ? -bc : bc;
    const shift = digitCountBig(b) - digitCountBig(a) + PRECISION + 1;
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
    if (this.big === null && o.big === null) {
      const d = this.exp - o.exp;
      if (d === 0) return this.n < o.n ? -1 : this.n > o.n ? 1 : 0;
      if (d > 0 && d <= 22) {
        const a = this.n * POW10N[d]!;
        if (a <= MAX_SAFE && a >= -MAX_SAFE) return a < o.n ? -1 : a > o.n ? 1 : 0;
      } else if (d < 0 && d >= -22) {
        const b = o.n * POW10N[-d]!;
        if (b <= MAX_SAFE && b >= -MAX_SAFE) return this.n < b ? -1 : this.n > b ? 1 : 0;
      }
    }
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
    if (exp < this.exp) return Dec.of(this.coef * pow10(this.exp - exp), exp);
    return Dec.of(shiftRoundHalfEven(this.coef, exp - this.exp), exp);
  }

  /** Python's `normalize`: strip trailing zeros (zero becomes `0`). */
  normalize(): Dec {
    if (this.isZero()) return Dec.ZERO;
    if (this.big === null) {
      let c = this.n;
      let e = this.exp;
      while (c % 10 === 0) {
        c /= 10;
        e++;
      }
      return new Dec(c, null, e);
    }
    let c = this.big;
    let e = this.exp;
    while (c % 10n === 0n) {
      c /= 10n;
      e++;
    }
    return Dec.of(c, e);
  }

  /** Number of digits of the coefficient (Python's `len(as_tuple().digits)`). */
  digits(): number {
    return this.big === null ? String(Math.abs(this.n)).length : digitCountBig(this.big);
  }

  /** A canonical key: equal values give equal keys (`1.0` and `1.00` alike). */
  key(): string {
    return this.normalize().toString();
  }

  /** Python's `str(Decimal)`. */
  toString(): string {
    const negative = this.sign() < 0;
    const coef = this.big === null ? String(Math.abs(this.n)) : (negative ? -this.big : this.big).toString();
    const exp = this.exp;
    if (exp === 0) return negative ? `-${coef}` : coef;
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
