// The Beancount parser: a hand-written scanner and recursive-descent parser over one file's text.
// It follows Beancount 2.3.5's flex lexer and bison grammar closely, including how they fail:
// - the lexer matches the longest token, skips org-mode lines (`*`, `:`, `#` and flag characters
//   at the start of a line), and turns anything else into an "Invalid token" error;
// - a syntax error drops the whole directive it occurs in and is reported only when three tokens
//   have been read without error since the previous one (bison's error recovery);
// - an invalid token right after a directive (no blank line between) drops that directive too,
//   because bison had not reduced it yet.
// It never throws: every problem becomes a LedgerError and parsing goes on with the next line.
import { Dec } from './decimal';
import type {
  Booking,
  CostSpec,
  Entry,
  LedgerError,
  LedgerOptions,
  Meta,
  MetaValue,
  Posting,
  PriceSpec,
  Transaction,
} from './types';
import { BOOKING_METHODS } from './types';

// Token kinds.
const EOF: number = 0;
const EOL: number = 1;
const INDENT: number = 2;
const PIPE: number = 3;
const ATAT: number = 4;
const AT: number = 5;
const LCURLCURL: number = 6;
const RCURLCURL: number = 7;
const LCURL: number = 8;
const RCURL: number = 9;
const COMMA: number = 10;
const TILDE: number = 11;
const PLUS: number = 12;
const MINUS: number = 13;
const SLASH: number = 14;
const LPAREN: number = 15;
const RPAREN: number = 16;
const HASH: number = 17;
const ASTERISK: number = 18;
const COLON: number = 19;
const FLAG: number = 20;
const TXN: number = 21;
const BALANCE: number = 22;
const OPEN: number = 23;
const CLOSE: number = 24;
const COMMODITY: number = 25;
const PAD: number = 26;
const EVENT: number = 27;
const QUERY: number = 28;
const CUSTOM: number = 29;
const PRICE: number = 30;
const NOTE: number = 31;
const DOCUMENT: number = 32;
const PUSHTAG: number = 33;
const POPTAG: number = 34;
const PUSHMETA: number = 35;
const POPMETA: number = 36;
const OPTION: number = 37;
const PLUGIN: number = 38;
const INCLUDE: number = 39;
const BOOL: number = 40;
const NONE: number = 41;
const DATE: number = 42;
const ACCOUNT: number = 43;
const CURRENCY: number = 44;
const STRING: number = 45;
const NUMBER: number = 46;
const TAG: number = 47;
const LINK: number = 48;
const KEY: number = 49;
const LEXERR: number = 50;

const TOKEN_NAMES = [
  'end of file',
  'EOL',
  'INDENT',
  'PIPE',
  'ATAT',
  'AT',
  'LCURLCURL',
  'RCURLCURL',
  'LCURL',
  'RCURL',
  'COMMA',
  'TILDE',
  'PLUS',
  'MINUS',
  'SLASH',
  'LPAREN',
  'RPAREN',
  'HASH',
  'ASTERISK',
  'COLON',
  'FLAG',
  'TXN',
  'BALANCE',
  'OPEN',
  'CLOSE',
  'COMMODITY',
  'PAD',
  'EVENT',
  'QUERY',
  'CUSTOM',
  'PRICE',
  'NOTE',
  'DOCUMENT',
  'PUSHTAG',
  'POPTAG',
  'PUSHMETA',
  'POPMETA',
  'OPTION',
  'PLUGIN',
  'INCLUDE',
  'BOOL',
  'NONE',
  'DATE',
  'ACCOUNT',
  'CURRENCY',
  'STRING',
  'NUMBER',
  'TAG',
  'LINK',
  'KEY',
  'LEX_ERROR',
];

const KEYWORDS: [string, number][] = [
  ['txn', TXN],
  ['balance', BALANCE],
  ['open', OPEN],
  ['close', CLOSE],
  ['commodity', COMMODITY],
  ['pad', PAD],
  ['event', EVENT],
  ['query', QUERY],
  ['custom', CUSTOM],
  ['price', PRICE],
  ['note', NOTE],
  ['document', DOCUMENT],
  ['pushtag', PUSHTAG],
  ['poptag', POPTAG],
  ['pushmeta', PUSHMETA],
  ['popmeta', POPMETA],
  ['option', OPTION],
  ['plugin', PLUGIN],
  ['include', INCLUDE],
];
const KEYWORD_WORDS = KEYWORDS.map((k) => k[0]);
const KEYWORD_KINDS = KEYWORDS.map((k) => k[1]);

// Character classes (ASCII; code units >= 0x80 count as UTF-8 letters, as in the flex lexer).
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}
function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}
/** [A-Za-z0-9\-_/.]: tag and link characters. */
function isTagChar(c: number): boolean {
  return isUpper(c) || isLower(c) || isDigit(c) || c === 45 || c === 95 || c === 47 || c === 46;
}
/** [A-Z0-9'._-]: the middle of a currency. */
function isCurrencyMid(c: number): boolean {
  return isUpper(c) || isDigit(c) || c === 39 || c === 46 || c === 95 || c === 45;
}
/** 1 for the ASCII characters of an account component's body, [A-Za-z0-9-]. */
const ACCOUNT_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (isUpper(c) || isLower(c) || isDigit(c) || c === 45) ACCOUNT_CHAR[c] = 1;
/** End of the run of account-body characters (or non-ASCII code units) starting at q. */
function accountCharsEnd(src: string, q: number, n: number): number {
  while (q < n) {
    const c = src.charCodeAt(q);
    if (c < 128 && ACCOUNT_CHAR[c] === 0) break;
    q++;
  }
  return q;
}
/** End of the run of digits starting at q. */
function digitsEnd(src: string, q: number, n: number): number {
  while (q < n) {
    const c = src.charCodeAt(q);
    if (c < 48 || c > 57) break;
    q++;
  }
  return q;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface IncludeDirective {
  pattern: string;
  line: number;
}
export interface PluginDirective {
  name: string;
  config: string | null;
  line: number;
}

export interface ParsedFile {
  file: string;
  entries: Entry[];
  errors: LedgerError[];
  includes: IncludeDirective[];
  plugins: PluginDirective[];
  /** Options set in this file, in order (applied by the loader). */
  optionsSet: { name: string; value: string; line: number }[];
}

export function defaultOptions(): LedgerOptions {
  return {
    title: null,
    operatingCurrencies: [],
    bookingMethod: 'STRICT',
    inferredToleranceDefault: new Map(),
    inferredToleranceMultiplier: Dec.parse('0.5')!,
    inferToleranceFromCost: false,
    rootNames: {
      assets: 'Assets',
      liabilities: 'Liabilities',
      equity: 'Equity',
      income: 'Income',
      expenses: 'Expenses',
    },
    pluginProcessingMode: 'default',
    renderCommas: false,
    other: {},
  };
}

const KNOWN_OPTIONS = new Set([
  'title',
  'name_assets',
  'name_liabilities',
  'name_equity',
  'name_income',
  'name_expenses',
  'account_previous_balances',
  'account_previous_earnings',
  'account_previous_conversions',
  'account_current_earnings',
  'account_current_conversions',
  'account_unrealized_gains',
  'account_rounding',
  'conversion_currency',
  'inferred_tolerance_default',
  'inferred_tolerance_multiplier',
  'infer_tolerance_from_cost',
  'documents',
  'operating_currency',
  'render_commas',
  'plugin_processing_mode',
  'long_string_maxlines',
  'booking_method',
  'allow_pipe_separator',
  'allow_deprecated_none_for_tags_and_links',
  'insert_pythonpath',
]);
const READ_ONLY_OPTIONS = new Set(['filename', 'include', 'plugin', 'dcontext', 'commodities', 'input_hash']);

/**
 * Applies one `option` directive to `options`; returns an error message or null. Shared by the
 * parser (for options that change how later lines parse) and the loader.
 */
export function applyOption(options: LedgerOptions, name: string, value: string): string | null {
  if (READ_ONLY_OPTIONS.has(name)) return `Option '${name}' may not be set`;
  if (!KNOWN_OPTIONS.has(name)) return `Invalid option: '${name}'`;
  switch (name) {
    case 'title':
      options.title = value;
      return null;
    case 'name_assets':
    case 'name_liabilities':
    case 'name_equity':
    case 'name_income':
    case 'name_expenses':
      options.rootNames[name.slice(5) as keyof LedgerOptions['rootNames']] = value;
      return null;
    case 'operating_currency':
      if (!options.operatingCurrencies.includes(value)) options.operatingCurrencies.push(value);
      return null;
    case 'booking_method': {
      if (!(BOOKING_METHODS as readonly string[]).includes(value))
        return `Error for option '${name}': ${value}`;
      options.bookingMethod = value as Booking;
      return null;
    }
    case 'inferred_tolerance_default': {
      const colon = value.indexOf(':');
      const number = colon > 0 ? Dec.parse(value.slice(colon + 1)) : null;
      if (!number || value.indexOf(':', colon + 1) >= 0) return `Error for option '${name}': ${value}`;
      options.inferredToleranceDefault.set(value.slice(0, colon), number);
      return null;
    }
    case 'inferred_tolerance_multiplier': {
      const number = Dec.parse(value);
      if (!number) return `Error for option '${name}': ${value}`;
      options.inferredToleranceMultiplier = number;
      return null;
    }
    case 'infer_tolerance_from_cost':
    case 'render_commas': {
      const lower = value.toLowerCase();
      const flag = lower === '1' || lower === 'true' || lower === 'yes';
      if (name === 'render_commas') options.renderCommas = flag;
      else options.inferToleranceFromCost = flag;
      return null;
    }
    case 'plugin_processing_mode':
      if (value !== 'default' && value !== 'raw') return `Error for option '${name}': ${value}`;
      options.pluginProcessingMode = value;
      return null;
    default:
      options.other[name] = value;
      return null;
  }
}

/** Shared empty tag/link list (most transactions have none). */
const NO_STRINGS: readonly string[] = Object.freeze([]);

/** Thrown (and caught inside the parser only) to abandon the directive being parsed. */
class ParseAbort extends Error {}
const ABORT = new ParseAbort('abort');

class Parser {
  private readonly src: string;
  private readonly n: number;
  private pos = 0;
  private line = 1;
  private lineTokens = 0;
  private eofEol = false;

  // Current token.
  private tok = EOF;
  private tStart = 0;
  private tEnd = 0;
  private tLine = 1;
  private tStr = '';

  /** Tokens read without error since the last syntax error (bison's error-message throttle). */
  private shifted = 3;

  readonly entries: Entry[] = [];
  readonly errors: LedgerError[] = [];
  readonly includes: IncludeDirective[] = [];
  readonly plugins: PluginDirective[] = [];
  readonly optionsSet: { name: string; value: string; line: number }[] = [];
  private readonly tags: string[] = [];
  private readonly metaStack = new Map<string, MetaValue[]>();
  private readonly roots: Set<string>;

  constructor(
    text: string,
    private readonly file: string,
    private readonly options: LedgerOptions,
  ) {
    this.src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    this.n = this.src.length;
    const r = options.rootNames;
    this.roots = new Set([r.assets, r.liabilities, r.equity, r.income, r.expenses]);
  }

  // ---------------------------------------------------------------- lexer

  private lexError(message: string, line: number): void {
    this.errors.push({ type: 'syntax', file: this.file, line, message });
  }

  /** Consumes `[^ \t\n\r]+` as one invalid token. */
  private invalidChunk(start: number): void {
    let p = start;
    const src = this.src;
    while (p < this.n) {
      const c = src.charCodeAt(p);
      if (c === 32 || c === 9 || c === 10 || c === 13) break;
      p++;
    }
    if (p === start) p++;
    this.pos = p;
    this.tok = LEXERR;
    this.tStart = start;
    this.tEnd = p;
    this.tLine = this.line;
    this.lexError(`Invalid token: '${src.slice(start, p)}'`, this.line);
  }

  /**
   * Beancount skips a line that starts with `*`, `:`, `#` or a flag character (org-mode headings)
   * only when something follows on that line; alone on its line the character is a token.
   */
  private restOfLineFollows(p: number): boolean {
    return p < this.n && this.src.charCodeAt(p) !== 10;
  }

  private skipLine(): void {
    const nl = this.src.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.n : nl;
  }

  /** Length of an account token starting at p (0 if none). */
  private accountLength(p: number): number {
    const src = this.src;
    const c0 = src.charCodeAt(p);
    if (!(isUpper(c0) || c0 >= 0x80)) return 0;
    let q = p + 1;
    q = accountCharsEnd(src, q, this.n);
    let end = 0;
    while (q < this.n && src.charCodeAt(q) === 58) {
      const c = src.charCodeAt(q + 1);
      if (!(isUpper(c) || isDigit(c) || c >= 0x80)) break;
      q = accountCharsEnd(src, q + 2, this.n);
      end = q;
    }
    return end === 0 ? 0 : end - p;
  }

  /** Length of a currency token starting at p (0 if none). */
  private currencyLength(p: number): number {
    const src = this.src;
    if (!isUpper(src.charCodeAt(p))) return 0;
    let q = p + 1;
    const max = Math.min(this.n, p + 24);
    let last = 0;
    while (q < max) {
      const c = src.charCodeAt(q);
      if (!isCurrencyMid(c)) break;
      q++;
      if (isUpper(c) || isDigit(c)) last = q;
    }
    return last === 0 ? 0 : last - p;
  }

  // Interning of names and dates: most tokens repeat (accounts, currencies, dates), so every
  // occurrence shares one string. A Map keyed by the slice (hashed and compared natively) beat a
  // hand-written open-addressing table over the source while the code is still cold.
  private readonly internMap = new Map<string, string>();
  private lastDateKey = -1;
  private lastDate = '';
  private intern(start: number, end: number): string {
    const s = this.src.slice(start, end);
    const v = this.internMap.get(s);
    if (v !== undefined) return v;
    this.internMap.set(s, s);
    return s;
  }

  private next(): void {
    const src = this.src;
    for (;;) {
      if (this.pos >= this.n) {
        this.tStart = this.tEnd = this.n;
        this.tLine = this.line;
        if (!this.eofEol) {
          this.eofEol = true;
          this.tok = EOL;
          return;
        }
        this.tok = EOF;
        return;
      }
      const start = this.pos;
      const c = src.charCodeAt(start);
      this.lineTokens++;
      this.tStart = start;
      this.tLine = this.line;
      switch (c) {
        case 10:
          this.pos++;
          this.line++;
          this.lineTokens = 0;
          this.tok = EOL;
          this.tLine = this.line;
          this.tEnd = this.pos;
          return;
        case 32:
        case 9:
        case 13: {
          let p = start + 1;
          const n = this.n;
          while (p < n) {
            const d = src.charCodeAt(p);
            if (d !== 32 && d !== 9 && d !== 13) break;
            p++;
          }
          this.pos = p;
          if (this.lineTokens === 1) {
            if (p >= this.n || src.charCodeAt(p) === 10) continue;
            this.tok = INDENT;
            this.tEnd = p;
            return;
          }
          continue;
        }
        case 59: // ;
          this.skipLine();
          continue;
        case 124:
          this.pos++;
          this.tok = PIPE;
          this.tEnd = this.pos;
          return;
        case 64: // @
          if (src.charCodeAt(start + 1) === 64) {
            this.pos += 2;
            this.tok = ATAT;
          } else {
            this.pos++;
            this.tok = AT;
          }
          this.tEnd = this.pos;
          return;
        case 123:
          if (src.charCodeAt(start + 1) === 123) {
            this.pos += 2;
            this.tok = LCURLCURL;
          } else {
            this.pos++;
            this.tok = LCURL;
          }
          this.tEnd = this.pos;
          return;
        case 125:
          if (src.charCodeAt(start + 1) === 125) {
            this.pos += 2;
            this.tok = RCURLCURL;
          } else {
            this.pos++;
            this.tok = RCURL;
          }
          this.tEnd = this.pos;
          return;
        case 44:
        case 126:
        case 43:
        case 45:
        case 47:
        case 40:
        case 41:
          this.pos++;
          this.tok =
            c === 44
              ? COMMA
              : c === 126
                ? TILDE
                : c === 43
                  ? PLUS
                  : c === 45
                    ? MINUS
                    : c === 47
                      ? SLASH
                      : c === 40
                        ? LPAREN
                        : RPAREN;
          this.tEnd = this.pos;
          return;
        case 35: {
          // #
          let p = start + 1;
          while (p < this.n && isTagChar(src.charCodeAt(p))) p++;
          if (p > start + 1) {
            this.pos = p;
            this.tok = TAG;
            this.tStr = src.slice(start + 1, p);
            this.tEnd = p;
            return;
          }
          if (this.lineTokens === 1 && this.restOfLineFollows(start + 1)) {
            this.skipLine();
            continue;
          }
          this.pos++;
          this.tok = HASH;
          this.tEnd = this.pos;
          return;
        }
        case 42: // *
        case 58: // :
          if (this.lineTokens === 1 && this.restOfLineFollows(start + 1)) {
            this.skipLine();
            continue;
          }
          this.pos++;
          this.tok = c === 42 ? ASTERISK : COLON;
          this.tEnd = this.pos;
          return;
        case 33: // ! & ? %
        case 38:
        case 63:
        case 37:
          if (this.lineTokens === 1 && this.restOfLineFollows(start + 1)) {
            this.skipLine();
            continue;
          }
          this.pos++;
          this.tok = FLAG;
          this.tStr = String.fromCharCode(c);
          this.tEnd = this.pos;
          return;
        case 94: {
          // ^
          let p = start + 1;
          while (p < this.n && isTagChar(src.charCodeAt(p))) p++;
          if (p > start + 1) {
            this.pos = p;
            this.tok = LINK;
            this.tStr = src.slice(start + 1, p);
            this.tEnd = p;
            return;
          }
          this.invalidChunk(start);
          return;
        }
        case 34: {
          // "
          let p = start + 1;
          let newlines = 0;
          let escapes = false;
          let closed = false;
          while (p < this.n) {
            const d = src.charCodeAt(p);
            if (d === 34) {
              closed = true;
              break;
            }
            if (d === 92) {
              escapes = true;
              p++;
              if (p < this.n && src.charCodeAt(p) === 10) newlines++;
            } else if (d === 10) newlines++;
            p++;
          }
          if (!closed) {
            this.invalidChunk(start);
            return;
          }
          this.pos = p + 1;
          this.line += newlines;
          this.tLine = this.line;
          this.tok = STRING;
          const raw = src.slice(start + 1, p);
          this.tStr = escapes ? unescape(raw) : raw;
          this.tEnd = this.pos;
          return;
        }
        default:
          break;
      }
      if (isDigit(c)) {
        this.lexNumberOrDate(start);
        return;
      }
      if (isLower(c)) {
        let p = start + 1;
        while (p < this.n) {
          const d = src.charCodeAt(p);
          if (isUpper(d) || isLower(d) || isDigit(d) || d === 45 || d === 95) p++;
          else break;
        }
        if (p - start >= 2 && src.charCodeAt(p) === 58) {
          this.pos = p;
          this.tok = KEY;
          this.tStr = src.slice(start, p);
          this.tEnd = p;
          return;
        }
        for (let k = 0; k < KEYWORD_WORDS.length; k++) {
          const word = KEYWORD_WORDS[k]!;
          if (word.charCodeAt(0) === c && src.startsWith(word, start)) {
            this.pos = start + word.length;
            this.tok = KEYWORD_KINDS[k]!;
            this.tEnd = this.pos;
            return;
          }
        }
        this.invalidChunk(start);
        return;
      }
      if (isUpper(c) || c >= 0x80) {
        const acc = this.accountLength(start);
        if (acc > 0) {
          // An account is always longer than any currency, boolean or flag at the same place.
          this.tEnd = this.pos = start + acc;
          this.tok = ACCOUNT;
          this.tStr = this.intern(start, this.pos);
          return;
        }
        const cur = this.currencyLength(start);
        let boolLen = 0;
        let boolTok = BOOL;
        if (c === 84 && src.startsWith('TRUE', start)) boolLen = 4;
        else if (c === 70 && src.startsWith('FALSE', start)) boolLen = 5;
        else if (c === 78 && src.startsWith('NULL', start)) {
          boolLen = 4;
          boolTok = NONE;
        }
        const flagLen =
          c === 80 || c === 83 || c === 84 || c === 67 || c === 85 || c === 82 || c === 77 ? 1 : 0;
        const best = Math.max(acc, cur, boolLen, flagLen);
        if (best === 0) {
          this.invalidChunk(start);
          return;
        }
        this.tEnd = this.pos = start + best;
        if (flagLen === best) {
          if (this.lineTokens === 1 && this.restOfLineFollows(start + 1)) {
            this.skipLine();
            continue;
          }
          this.tok = FLAG;
          this.tStr = String.fromCharCode(c);
        } else if (boolLen === best) {
          this.tok = boolTok;
          this.tStr = src.slice(start, this.pos);
        } else if (acc === best) {
          this.tok = ACCOUNT;
          this.tStr = this.intern(start, this.pos);
        } else {
          this.tok = CURRENCY;
          this.tStr = this.intern(start, this.pos);
        }
        return;
      }
      this.invalidChunk(start);
      return;
    }
  }

  private lexNumberOrDate(start: number): void {
    const src = this.src;
    // DATE: [0-9]{4,}[-/][0-9]+[-/][0-9]+
    let p = start;
    p = digitsEnd(src, p, this.n);
    const yearEnd = p;
    let dateEnd = 0;
    let monthStart = 0;
    let monthEnd = 0;
    let dayStart = 0;
    if (yearEnd - start >= 4) {
      const s1 = src.charCodeAt(p);
      if (s1 === 45 || s1 === 47) {
        let q = p + 1;
        monthStart = q;
        q = digitsEnd(src, q, this.n);
        monthEnd = q;
        const s2 = src.charCodeAt(q);
        if (q > monthStart && (s2 === 45 || s2 === 47)) {
          q++;
          dayStart = q;
          q = digitsEnd(src, q, this.n);
          if (q > dayStart) dateEnd = q;
        }
      }
    }
    // NUMBER: ([0-9]+|[0-9][0-9,]+[0-9])(\.[0-9]*)?
    let q = start;
    let lastDigit = start;
    while (q < this.n) {
      const d = src.charCodeAt(q);
      if (isDigit(d)) lastDigit = q + 1;
      else if (d !== 44) break;
      q++;
    }
    let numEnd = lastDigit;
    if (src.charCodeAt(numEnd) === 46) {
      numEnd = digitsEnd(src, numEnd + 1, this.n);
    }
    if (dateEnd > numEnd) {
      this.pos = this.tEnd = dateEnd;
      let year = 0;
      for (let i = start; i < yearEnd; i++) year = year * 10 + src.charCodeAt(i) - 48;
      let month = 0;
      for (let i = monthStart; i < monthEnd; i++) month = month * 10 + src.charCodeAt(i) - 48;
      let day = 0;
      for (let i = dayStart; i < dateEnd; i++) day = day * 10 + src.charCodeAt(i) - 48;
      let problem: string | null = null;
      if (year < 1 || year > 9999) problem = `year ${year} is out of range`;
      else if (month < 1 || month > 12) problem = 'month must be in 1..12';
      else {
        const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
        const dim = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
        if (day < 1 || day > dim) problem = 'day is out of range for month';
      }
      if (problem) {
        this.tok = LEXERR;
        this.lexError(`ValueError: ${problem}`, this.line);
        return;
      }
      if (dateEnd - start === 10 && src.charCodeAt(start + 4) === 45 && src.charCodeAt(start + 7) === 45) {
        // Consecutive directives mostly share their date: skip the lookup for a repeat.
        const key = year * 10000 + month * 100 + day;
        if (key !== this.lastDateKey) {
          this.lastDate = this.intern(start, dateEnd);
          this.lastDateKey = key;
        }
        this.tok = DATE;
        this.tStr = this.lastDate;
        return;
      }
      this.tok = DATE;
      this.tStr = `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
      return;
    }
    this.pos = this.tEnd = numEnd;
    this.tok = NUMBER;
  }

  // ---------------------------------------------------------------- parser helpers

  private advance(): void {
    this.shifted++;
    this.next();
  }

  private tokenName(): string {
    return TOKEN_NAMES[this.tok] ?? 'token';
  }

  /** Reports a syntax error at the current token (if bison would) and abandons the directive. */
  private fail(): never {
    if (this.tok !== LEXERR && this.shifted >= 3) {
      this.errors.push({
        type: 'syntax',
        file: this.file,
        line: this.tLine,
        message: `syntax error, unexpected ${this.tokenName()}`,
      });
    }
    throw ABORT;
  }

  private expect(kind: number): void {
    if (this.tok !== kind) this.fail();
    this.advance();
  }

  private semanticError(message: string, line: number): void {
    this.errors.push({ type: 'syntax', file: this.file, line, message });
  }

  /** Skips what is left of a broken line (including its end), as bison's error recovery does. */
  private recover(): void {
    // Bison discards tokens until one that may follow `declarations`: an end of line, or the
    // start of a new directive (a date or a top-level keyword), even in the middle of a line.
    this.shifted = 0;
    for (;;) {
      const t = this.tok;
      if (t === EOF || t === DATE || (t >= PUSHTAG && t <= INCLUDE)) return;
      if (t === EOL) {
        this.advance();
        return;
      }
      this.next();
    }
  }

  private account(): string {
    if (this.tok !== ACCOUNT) this.fail();
    const name = this.tStr; // interned by the lexer
    let valid = this.accountValid.get(name);
    if (valid === undefined) {
      const colon = name.indexOf(':');
      const second = name.charAt(colon + 1);
      valid = this.roots.has(name.slice(0, colon)) && /^[\p{Lu}\p{Nd}]/u.test(second);
      this.accountValid.set(name, valid);
    }
    if (!valid) this.semanticError(`Invalid account name: ${name}`, this.tLine);
    this.advance();
    return name;
  }
  /** Whether each account name seen has a valid root and second component. */
  private readonly accountValid = new Map<string, boolean>();

  private currency(): string {
    if (this.tok !== CURRENCY) this.fail();
    const name = this.tStr; // interned by the lexer
    this.advance();
    return name;
  }

  private string(): string {
    if (this.tok !== STRING) this.fail();
    const s = this.tStr;
    this.advance();
    return s;
  }

  private startsExpr(): boolean {
    const t = this.tok;
    return t === NUMBER || t === MINUS || t === PLUS || t === LPAREN;
  }

  // number_expr with bison's precedences: + - < * / < unary minus.
  private expr(): Dec {
    let left = this.term();
    while (this.tok === PLUS || this.tok === MINUS) {
      const op = this.tok;
      this.advance();
      const right = this.term();
      left = op === PLUS ? left.add(right) : left.sub(right);
    }
    return left;
  }
  private term(): Dec {
    let left = this.unary();
    while (this.tok === ASTERISK || this.tok === SLASH) {
      const op = this.tok;
      const line = this.tLine;
      this.advance();
      const right = this.unary();
      if (op === ASTERISK) left = left.mul(right);
      else {
        const q = left.div(right);
        if (!q) {
          this.semanticError('DivisionByZero: division by zero', line);
          throw ABORT;
        }
        left = q;
      }
    }
    return left;
  }
  private unary(): Dec {
    switch (this.tok) {
      case NUMBER: {
        const d = Dec.parseRange(this.src, this.tStart, this.tEnd)!;
        this.advance();
        return d;
      }
      case MINUS:
        this.advance();
        {
          const v = this.unary();
          return v.negFixed();
        }
      case PLUS:
        this.advance();
        return this.unary();
      case LPAREN: {
        this.advance();
        const v = this.expr();
        this.expect(RPAREN);
        return v;
      }
      default:
        return this.fail();
    }
  }

  private eol(): void {
    if (this.tok !== EOL) this.fail();
    this.advance();
  }

  private tagsLinks(tags: string[], links: string[]): void {
    for (;;) {
      if (this.tok === TAG) tags.push(this.tStr);
      else if (this.tok === LINK) links.push(this.tStr);
      else return;
      this.advance();
    }
  }

  private metaValue(): MetaValue {
    switch (this.tok) {
      case STRING:
        return this.string();
      case ACCOUNT:
        return { account: this.account() };
      case DATE: {
        const d = this.tStr;
        this.advance();
        return { date: d };
      }
      case CURRENCY:
        return { currency: this.currency() };
      case TAG: {
        const t = this.tStr;
        this.advance();
        return { tag: t };
      }
      case BOOL: {
        const b = this.tStr === 'TRUE';
        this.advance();
        return b;
      }
      case NONE:
        this.advance();
        return null;
      case EOL:
        return null;
      default: {
        if (!this.startsExpr()) return this.fail();
        const number = this.expr();
        if (this.tok === CURRENCY) return { number, currency: this.currency() };
        return number;
      }
    }
  }

  /** `KEY COLON value` (the current token is the KEY). */
  private keyValue(): [string, MetaValue] {
    const key = this.tStr;
    this.advance();
    this.expect(COLON);
    return [key, this.metaValue()];
  }

  /** Indented `key: value` lines (and comment-only lines) after a directive. */
  private metaLines(meta: Meta | null): Meta | null {
    while (this.tok === INDENT) {
      this.advance();
      if (this.tok === EOL) {
        this.advance();
        continue;
      }
      if (this.tok !== KEY) this.fail();
      const [key, value] = this.keyValue();
      this.eol();
      meta ??= {};
      meta[key] = value; // Beancount: the last value of a repeated key wins, silently
    }
    return meta;
  }

  private activeMeta(meta: Meta | null): Meta | null {
    if (this.metaStack.size === 0) return meta;
    const out: Meta = {};
    for (const [key, values] of this.metaStack) if (values.length) out[key] = values[values.length - 1]!;
    return meta ? Object.assign(out, meta) : out;
  }

  // ---------------------------------------------------------------- directives

  parse(): void {
    this.next();
    for (;;) {
      const t = this.tok;
      if (t === EOF) break;
      try {
        if (t === EOL) {
          this.advance();
          continue;
        }
        if (t === DATE) {
          const entry = this.dated();
          // An invalid token right after a directive kills it (see the module comment).
          if (entry && this.tok !== LEXERR) this.entries.push(entry);
          continue;
        }
        switch (t) {
          case OPTION:
            this.option();
            continue;
          case INCLUDE: {
            const line = this.tLine;
            this.advance();
            const pattern = this.string();
            this.eol();
            this.includes.push({ pattern, line });
            continue;
          }
          case PLUGIN: {
            const line = this.tLine;
            this.advance();
            const name = this.string();
            const config = this.tok === STRING ? this.string() : null;
            this.eol();
            this.plugins.push({ name, config, line });
            continue;
          }
          case PUSHTAG: {
            this.advance();
            if (this.tok !== TAG) this.fail();
            const tag = this.tStr;
            this.advance();
            this.eol();
            this.tags.push(tag);
            continue;
          }
          case POPTAG: {
            const line = this.tLine;
            this.advance();
            if (this.tok !== TAG) this.fail();
            const tag = this.tStr;
            this.advance();
            this.eol();
            const i = this.tags.lastIndexOf(tag);
            if (i < 0) this.semanticError(`Attempting to pop absent tag: '${tag}'`, line);
            else this.tags.splice(i, 1);
            continue;
          }
          case PUSHMETA: {
            this.advance();
            if (this.tok !== KEY) this.fail();
            const [key, value] = this.keyValue();
            this.eol();
            const list = this.metaStack.get(key);
            if (list) list.push(value);
            else this.metaStack.set(key, [value]);
            continue;
          }
          case POPMETA: {
            const line = this.tLine;
            this.advance();
            if (this.tok !== KEY) this.fail();
            const key = this.tStr;
            this.advance();
            this.expect(COLON);
            this.eol();
            const list = this.metaStack.get(key);
            if (!list) this.semanticError(`Attempting to pop absent metadata key: '${key}'`, line);
            else {
              list.pop();
              if (list.length === 0) this.metaStack.delete(key);
            }
            continue;
          }
          case LEXERR:
            this.recover();
            continue;
          default:
            this.fail();
        }
      } catch (e) {
        if (e !== ABORT) throw e;
        this.recover();
      }
    }
    for (const tag of this.tags)
      this.errors.push({
        type: 'syntax',
        file: this.file,
        line: 0,
        message: `Unbalanced pushed tag: '${tag}'`,
      });
    for (const [key, values] of this.metaStack)
      this.errors.push({
        type: 'syntax',
        file: this.file,
        line: 0,
        message: `Unbalanced metadata key '${key}'; leftover metadata '${values.map(String).join(', ')}'`,
      });
  }

  private option(): void {
    const line = this.tLine;
    this.advance();
    const name = this.string();
    const value = this.string();
    this.eol();
    this.optionsSet.push({ name, value, line });
    const problem = applyOption(this.options, name, value);
    if (problem) this.semanticError(problem, line);
    else if (name.startsWith('name_')) {
      const r = this.options.rootNames;
      this.roots.clear();
      for (const root of [r.assets, r.liabilities, r.equity, r.income, r.expenses]) this.roots.add(root);
      this.accountValid.clear();
    }
  }

  private dated(): Entry | null {
    const date = this.tStr;
    const line = this.tLine;
    const file = this.file;
    this.advance();
    switch (this.tok) {
      case TXN:
      case FLAG:
      case ASTERISK:
      case HASH:
        return this.transaction(date, line);
      case OPEN: {
        this.advance();
        const account = this.account();
        let currencies: string[] | null = null;
        if (this.tok === CURRENCY) {
          currencies = [this.currency()];
          while (this.tok === COMMA) {
            this.advance();
            currencies.push(this.currency());
          }
        }
        let bookingStr: string | null = null;
        if (this.tok === STRING) bookingStr = this.string();
        this.eol();
        const meta = this.metaLines(null);
        let booking: Booking | null = null;
        if (bookingStr !== null) {
          if ((BOOKING_METHODS as readonly string[]).includes(bookingStr)) booking = bookingStr as Booking;
          else {
            booking = this.options.bookingMethod;
            this.semanticError(`Invalid booking method: ${bookingStr}`, line);
          }
        }
        return { kind: 'open', date, file, line, meta, account, currencies, booking };
      }
      case CLOSE: {
        this.advance();
        const account = this.account();
        this.eol();
        return { kind: 'close', date, file, line, meta: this.metaLines(null), account };
      }
      case COMMODITY: {
        this.advance();
        const currency = this.currency();
        this.eol();
        return { kind: 'commodity', date, file, line, meta: this.metaLines(null), currency };
      }
      case PAD: {
        this.advance();
        const account = this.account();
        const source = this.account();
        this.eol();
        return { kind: 'pad', date, file, line, meta: this.metaLines(null), account, source };
      }
      case BALANCE: {
        this.advance();
        const account = this.account();
        if (!this.startsExpr()) this.fail();
        const number = this.expr();
        let tolerance: Dec | null = null;
        if (this.tok === TILDE) {
          this.advance();
          if (!this.startsExpr()) this.fail();
          tolerance = this.expr();
        }
        const currency = this.currency();
        this.eol();
        const meta = this.metaLines(null);
        return { kind: 'balance', date, file, line, meta, account, number, currency, tolerance };
      }
      case PRICE: {
        this.advance();
        const currency = this.currency();
        if (!this.startsExpr()) this.fail();
        const number = this.expr();
        const quote = this.currency();
        this.eol();
        return { kind: 'price', date, file, line, meta: this.metaLines(null), currency, number, quote };
      }
      case NOTE: {
        this.advance();
        const account = this.account();
        const comment = this.string();
        this.eol();
        return { kind: 'note', date, file, line, meta: this.metaLines(null), account, comment };
      }
      case DOCUMENT: {
        this.advance();
        const account = this.account();
        const filename = this.string();
        const tags: string[] = [];
        const links: string[] = [];
        this.tagsLinks(tags, links);
        this.eol();
        const meta = this.metaLines(null);
        for (const t of this.tags) if (!tags.includes(t)) tags.push(t);
        return { kind: 'document', date, file, line, meta, account, filename, tags, links };
      }
      case EVENT: {
        this.advance();
        const type = this.string();
        const description = this.string();
        this.eol();
        return { kind: 'event', date, file, line, meta: this.metaLines(null), type, description };
      }
      case QUERY: {
        this.advance();
        const name = this.string();
        const query = this.string();
        this.eol();
        return { kind: 'query', date, file, line, meta: this.metaLines(null), name, query };
      }
      case CUSTOM: {
        this.advance();
        const type = this.string();
        const values: MetaValue[] = [];
        while (this.tok !== EOL) {
          if (this.tok === STRING || this.tok === DATE || this.tok === BOOL || this.tok === ACCOUNT)
            values.push(this.metaValue());
          else if (this.startsExpr()) values.push(this.metaValue());
          else this.fail();
        }
        this.eol();
        return { kind: 'custom', date, file, line, meta: this.metaLines(null), type, values };
      }
      default:
        return this.fail();
    }
  }

  private transaction(date: string, line: number): Transaction | null {
    const flag = this.tok === TXN || this.tok === ASTERISK ? '*' : this.tok === HASH ? '#' : this.tStr;
    this.advance();
    // Payee and narration without an array for the common one or two strings.
    let s1: string | null = null;
    let s2: string | null = null;
    let strings: string[] | null = null;
    for (;;) {
      if (this.tok === STRING) {
        const str = this.string();
        if (s1 === null) s1 = str;
        else if (s2 === null) s2 = str;
        else (strings ??= [s1, s2]).push(str);
      } else if (this.tok === PIPE) {
        this.semanticError('Pipe symbol is deprecated.', this.tLine);
        this.advance();
      } else break;
    }
    let tags: string[] = NO_STRINGS as string[];
    let links: string[] = NO_STRINGS as string[];
    if (this.tok === TAG || this.tok === LINK) {
      tags = [];
      links = [];
      this.tagsLinks(tags, links);
    }
    this.eol();
    const postings: Posting[] = [];
    let meta: Meta | null = null;
    let last: Posting | null = null;
    while (this.tok === INDENT) {
      const lineNo = this.tLine;
      this.advance();
      const t = this.tok;
      if (t === EOL) {
        this.advance();
        continue;
      }
      if (t === KEY) {
        const [key, value] = this.keyValue();
        this.eol();
        if (last === null) {
          meta ??= {};
          if (key in meta) this.semanticError(`Duplicate metadata field on entry: ${key}`, line);
          else meta[key] = value;
        } else {
          last.meta ??= {};
          if (key in last.meta) this.semanticError(`Duplicate posting metadata field: ${key}`, line);
          else last.meta[key] = value;
        }
        continue;
      }
      if (t === TAG || t === LINK) {
        const moreTags: string[] = [];
        const moreLinks: string[] = [];
        this.tagsLinks(moreTags, moreLinks);
        this.eol();
        if (postings.length) this.semanticError('Tags or links not allowed after first Posting', line);
        else {
          if (tags === NO_STRINGS) tags = [];
          if (links === NO_STRINGS) links = [];
          for (const x of moreTags) tags.push(x);
          for (const x of moreLinks) links.push(x);
        }
        continue;
      }
      last = this.posting(lineNo);
      postings.push(last);
    }
    if (this.tags.length) {
      if (tags === NO_STRINGS) tags = [];
      for (const t of this.tags) tags.push(t);
    }
    if (strings !== null) {
      this.semanticError(
        `Too many strings on transaction description: [${strings.map((s) => `'${s}'`).join(', ')}]`,
        line,
      );
      return null;
    }
    return {
      kind: 'transaction',
      date,
      file: this.file,
      line,
      meta: this.activeMeta(meta),
      flag,
      payee: s2 !== null ? s1 : null,
      narration: s2 !== null ? s2 : (s1 ?? ''),
      tags: tags.length > 1 ? [...new Set(tags)] : tags.length ? tags : NO_STRINGS,
      links: links.length > 1 ? [...new Set(links)] : links.length ? links : NO_STRINGS,
      postings,
    };
  }

  private posting(line: number): Posting {
    let flag: string | null = null;
    if (this.tok === FLAG) flag = this.tStr;
    else if (this.tok === ASTERISK) flag = '*';
    else if (this.tok === HASH) flag = '#';
    if (flag !== null) this.advance();
    const account = this.account();
    const posting: Posting = {
      account,
      flag,
      unitsMissing: false,
      number: undefined,
      currency: undefined,
      cost: null,
      price: null,
      line,
      meta: null,
    };
    if (this.tok === EOL) {
      this.advance();
      posting.unitsMissing = true;
      return posting;
    }
    if (this.startsExpr()) posting.number = this.expr();
    if (this.tok === CURRENCY) posting.currency = this.currency();
    if (this.tok === LCURL || this.tok === LCURLCURL) posting.cost = this.costSpec(line);
    let isTotal = false;
    if (this.tok === AT || this.tok === ATAT) {
      isTotal = this.tok === ATAT;
      this.advance();
      const price: PriceSpec = { number: undefined, currency: undefined };
      if (this.startsExpr()) price.number = this.expr();
      if (this.tok === CURRENCY) price.currency = this.currency();
      posting.price = price;
    }
    this.eol();
    const price = posting.price;
    if (price) {
      if (price.number !== undefined && price.number.sign() < 0) {
        this.semanticError(
          `Negative prices are not allowed: ${price.number.toString()} ${price.currency ?? ''} (see http://furius.ca/beancount/doc/bug-negative-prices for workaround)`,
          line,
        );
        price.number = price.number.abs();
      }
      if (isTotal) {
        if (posting.number === undefined) {
          this.semanticError(`Total price on a posting without units: ${formatPrice(price)}.`, line);
          posting.price = null;
        } else if (price.number !== undefined) {
          price.number = posting.number.isZero() ? Dec.ZERO : price.number.div(posting.number.abs())!;
        }
      }
      const cost = posting.cost as CostSpec | null;
      if (
        cost &&
        posting.price &&
        cost.currency !== undefined &&
        posting.price.currency !== undefined &&
        cost.currency !== posting.price.currency
      ) {
        this.semanticError(
          `Cost and price currencies must match: ${cost.currency} != ${posting.price.currency}`,
          line,
        );
      }
    }
    return posting;
  }

  private costSpec(line: number): CostSpec {
    const isTotal = this.tok === LCURLCURL;
    const close = isTotal ? RCURLCURL : RCURL;
    this.advance();
    let compound: {
      per: Dec | undefined;
      total: Dec | null | undefined;
      currency: string | undefined;
    } | null = null;
    let date: string | null = null;
    let label: string | null = null;
    let merge = false;
    let any = false;
    if (this.tok !== close) {
      for (;;) {
        any = true;
        if (this.tok === DATE) {
          if (date === null) date = this.tStr;
          else this.semanticError(`Duplicate date: '${this.tStr}'.`, line);
          this.advance();
        } else if (this.tok === STRING) {
          const s = this.string();
          if (label === null) label = s;
          else this.semanticError(`Duplicate label: '${s}'.`, line);
        } else if (this.tok === ASTERISK) {
          this.advance();
          if (!merge) {
            merge = true;
            this.semanticError('Cost merging is not supported yet', line);
          } else this.semanticError('Duplicate merge-cost spec', line);
        } else {
          let per: Dec | undefined;
          let total: Dec | null | undefined = null;
          let currency: string | undefined;
          if (this.startsExpr()) per = this.expr();
          if (this.tok === HASH) {
            this.advance();
            total = this.startsExpr() ? this.expr() : undefined;
            currency = this.currency();
          } else if (this.tok === CURRENCY) currency = this.currency();
          else if (per === undefined) this.fail();
          if (compound === null) compound = { per, total, currency };
          else this.semanticError('Duplicate cost.', line);
        }
        if (this.tok === COMMA) {
          this.advance();
          continue;
        }
        break;
      }
    }
    this.expect(close);
    if (!any)
      return { numberPer: undefined, numberTotal: null, currency: undefined, date: null, label: null, merge };
    let numberPer: Dec | undefined;
    let numberTotal: Dec | null | undefined;
    let currency: string | undefined;
    if (compound === null) {
      numberPer = undefined;
      numberTotal = null;
      currency = undefined;
    } else {
      ({ per: numberPer, total: numberTotal, currency } = compound);
      if (isTotal) {
        if (numberTotal !== null) {
          this.semanticError(
            'Per-unit cost may not be specified using total cost syntax; ignoring per-unit cost',
            line,
          );
          numberPer = Dec.ZERO;
        } else {
          numberTotal = numberPer;
          numberPer = Dec.ZERO;
        }
      }
    }
    return { numberPer, numberTotal, currency, date, label, merge };
  }
}

function formatPrice(price: PriceSpec): string {
  return `${price.number?.toString() ?? ''} ${price.currency ?? ''}`.trim();
}

function unescape(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const d = raw[++i]!;
    out += d === 'n' ? '\n' : d === 't' ? '\t' : d;
  }
  return out;
}

/**
 * Parses one file. `options` is updated in place by the file's `option` lines (the loader passes
 * the top file's options object to it and a scratch copy to included files, as Beancount does).
 */
export function parseText(text: string, file: string, options: LedgerOptions = defaultOptions()): ParsedFile {
  const parser = new Parser(text, file, options);
  try {
    parser.parse();
  } catch (error) {
    // Defensive: the parser is written not to throw; if it ever does, report instead of crashing.
    parser.errors.push({
      type: 'other',
      file,
      line: null,
      message: `Internal parser error: ${(error as Error).message}`,
    });
  }
  return {
    file,
    entries: parser.entries,
    errors: parser.errors,
    includes: parser.includes,
    plugins: parser.plugins,
    optionsSet: parser.optionsSet,
  };
}
