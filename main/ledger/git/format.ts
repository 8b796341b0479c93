// Turns a validated transaction into Beancount text for recordTransaction. The input crosses a
// trust boundary (it comes from the UI or the CLI), so it is parsed with zod first: only what
// Beancount can read back unambiguously is accepted (no newlines in strings, names that match
// Beancount's grammar, numbers as plain decimal strings: never a JS float).
import { z } from 'zod';
import { InvalidTransactionError } from './errors';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Beancount 2.3's account grammar: a root type, then components starting with a capital or digit. */
const ACCOUNT = /^(Assets|Liabilities|Equity|Income|Expenses)(:[\p{Lu}\p{Nd}][\p{L}\p{Nd}-]*)+$/u;
/** Beancount 2.3's currency grammar. */
const CURRENCY = /^[A-Z](?:[A-Z0-9'._-]{0,22}[A-Z0-9])?$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const TAG = /^[A-Za-z0-9\-_/.]+$/;
const META_KEY = /^[a-z][A-Za-z0-9\-_]*$/;
// eslint-disable-next-line no-control-regex
const SINGLE_LINE = /^[^\u0000-\u001f\u007f]*$/;

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

const text = z.string().max(1000).regex(SINGLE_LINE, 'no control characters');
const decimalString = z.string().max(64).regex(DECIMAL, 'a plain decimal string');
const amountSchema = z.object({ number: decimalString, currency: z.string().regex(CURRENCY) });
const dateString = z.string().regex(DATE).refine(isRealDate, 'a real calendar date');

export const postingInputSchema = z.object({
  account: z.string().max(400).regex(ACCOUNT),
  units: amountSchema,
  /** Per-unit cost, optionally with the lot date and label. */
  cost: z
    .object({
      number: decimalString.refine((n) => !n.startsWith('-'), 'a cost is never negative'),
      currency: z.string().regex(CURRENCY),
      date: dateString.optional(),
      label: text.optional(),
    })
    .optional(),
  /** Price per unit (`@`), or in total (`@@`) when `total` is true. */
  price: amountSchema.extend({ total: z.boolean().optional() }).optional(),
});

export const transactionInputSchema = z.object({
  date: dateString,
  flag: z.enum(['*', '!']),
  payee: text.optional(),
  narration: text,
  tags: z.array(z.string().max(200).regex(TAG)).max(50).optional(),
  links: z.array(z.string().max(200).regex(TAG)).max(50).optional(),
  meta: z
    .record(z.string().max(100).regex(META_KEY), z.union([text, z.boolean()]))
    .refine((m) => Object.keys(m).length <= 50, 'at most 50 metadata keys')
    .optional(),
  postings: z.array(postingInputSchema).min(1).max(1000),
});

export type TransactionInput = z.input<typeof transactionInputSchema>;
export type PostingInput = z.input<typeof postingInputSchema>;

/** A Beancount string literal: backslashes and double quotes escaped. */
export function quoteString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function splitNumber(n: string): { int: string; frac: string } {
  const dot = n.indexOf('.');
  return dot < 0 ? { int: n, frac: '' } : { int: n.slice(0, dot), frac: n.slice(dot) };
}

/**
 * Formats a transaction as Beancount text ending in one newline. Postings are indented by two
 * spaces; accounts are padded to one column and the numbers aligned on their decimal point, so
 * the currencies line up too. Throws InvalidTransactionError when the input does not validate.
 */
export function formatTransaction(input: unknown): string {
  const parsed = transactionInputSchema.safeParse(input);
  if (!parsed.success) throw new InvalidTransactionError();
  const tx = parsed.data;

  let header = `${tx.date} ${tx.flag}`;
  if (tx.payee !== undefined) header += ` ${quoteString(tx.payee)}`;
  header += ` ${quoteString(tx.narration)}`;
  for (const tag of tx.tags ?? []) header += ` #${tag}`;
  for (const link of tx.links ?? []) header += ` ^${link}`;
  const lines = [header];

  for (const [key, value] of Object.entries(tx.meta ?? {})) {
    lines.push(`  ${key}: ${typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : quoteString(value)}`);
  }

  const accountWidth = Math.max(...tx.postings.map((p) => [...p.account].length));
  const parts = tx.postings.map((p) => splitNumber(p.units.number));
  const intWidth = Math.max(...parts.map((p) => p.int.length));
  const fracWidth = Math.max(...parts.map((p) => p.frac.length));

  tx.postings.forEach((p, i) => {
    const { int, frac } = parts[i]!;
    const pad = ' '.repeat(accountWidth - [...p.account].length);
    let line = `  ${p.account}${pad}  ${int.padStart(intWidth)}${frac.padEnd(fracWidth)} ${p.units.currency}`;
    if (p.cost) {
      const costParts = [`${p.cost.number} ${p.cost.currency}`];
      if (p.cost.date) costParts.push(p.cost.date);
      if (p.cost.label !== undefined) costParts.push(quoteString(p.cost.label));
      line += ` {${costParts.join(', ')}}`;
    }
    if (p.price) line += ` ${p.price.total ? '@@' : '@'} ${p.price.number} ${p.price.currency}`;
    lines.push(line);
  });
  return `${lines.join('\n')}\n`;
}
