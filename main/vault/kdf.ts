// Passphrase → key derivation (scrypt) shared by the passphrase vault and encrypted backups. The
// parameters travel with what they protect (vault file, backup header); the passphrase never does.
import crypto from 'node:crypto';
import { z } from 'zod';
import { WeakPassphraseError } from './key-vault';

/** OWASP's scrypt recommendation (N=2^17, r=8, p=1): about 128 MiB and a few hundred ms per derivation. */
export const DEFAULT_SCRYPT_N = 2 ** 17;
export const DEFAULT_SCRYPT_R = 8;
export const DEFAULT_SCRYPT_P = 1;
/** Bounds accepted from a file, so a crafted file cannot make us allocate gigabytes. */
const MIN_SCRYPT_N = 2 ** 10;
const MAX_SCRYPT_N = 2 ** 20;
export const MIN_PASSPHRASE_LENGTH = 12;
const SALT_BYTES = 16;
export const KEY_BYTES = 32;

export const scryptParamsSchema = z
  .object({
    name: z.literal('scrypt'),
    N: z
      .number()
      .int()
      .min(MIN_SCRYPT_N)
      .max(MAX_SCRYPT_N)
      .refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: z.string().regex(/^[A-Za-z0-9+/]+=*$/),
  })
  .strict();
export type ScryptParams = z.infer<typeof scryptParamsSchema>;

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = {
  N: DEFAULT_SCRYPT_N,
  r: DEFAULT_SCRYPT_R,
  p: DEFAULT_SCRYPT_P,
};

export function newScryptParams(cost: ScryptCost = DEFAULT_SCRYPT_COST): ScryptParams {
  return { name: 'scrypt', ...cost, salt: crypto.randomBytes(SALT_BYTES).toString('base64') };
}

export function checkPassphraseStrength(passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) throw new WeakPassphraseError(MIN_PASSPHRASE_LENGTH);
}

export function deriveKey(passphrase: string, params: ScryptParams): Promise<Buffer> {
  const { N, r, p } = params;
  return new Promise((resolve, reject) => {
    crypto.scrypt(
      passphrase.normalize('NFC'),
      Buffer.from(params.salt, 'base64'),
      KEY_BYTES,
      { N, r, p, maxmem: 256 * N * r + 16 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}
