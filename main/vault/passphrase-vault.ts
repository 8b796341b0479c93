// KeyVault adapter for machines without a usable keychain, chosen explicitly by the user
// (`--vault passphrase` or `"vault": "passphrase"` in settings.json). Secrets live in `vault.json`
// beside the store, each sealed with AES-256-GCM under a key derived from the passphrase with
// scrypt. The file holds the scrypt parameters and a sealed check value, never the passphrase.
// A wrong passphrase fails the check (VaultPassphraseError) before any secret is read or written.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { registerSecret } from '../logging/redact';
import { writeFileAtomic } from './atomic-file';
import {
  checkPassphraseStrength,
  DEFAULT_SCRYPT_COST,
  deriveKey,
  newScryptParams,
  scryptParamsSchema,
  type ScryptCost,
} from './kdf';
import { VaultFileError, VaultPassphraseError, type KeyVault, type VaultProbe } from './key-vault';

export const VAULT_FILE_NAME = 'vault.json';
const FORMAT = 'dawsos-vault';
const CHECK_PLAINTEXT = 'dawsos-vault-check';
const IV_BYTES = 12;

const sealedSchema = z.object({ iv: z.string().min(1), data: z.string(), tag: z.string().min(1) }).strict();
type Sealed = z.infer<typeof sealedSchema>;

const vaultFileSchema = z
  .object({
    format: z.literal(FORMAT),
    version: z.literal(1),
    kdf: scryptParamsSchema,
    check: sealedSchema,
    secrets: z.record(z.string(), sealedSchema),
  })
  .strict();
type VaultFile = z.infer<typeof vaultFileSchema>;

function aad(label: string): Buffer {
  return Buffer.from(`${FORMAT}/1/${label}`, 'utf8');
}

function seal(key: Buffer, label: string, plaintext: string): Sealed {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(label));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    data: data.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

function open(key: Buffer, label: string, sealed: Sealed): string {
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(aad(label));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new VaultPassphraseError();
  }
}

export interface PassphraseVaultOptions {
  /** The vault file, normally `vault.json` in the folder of the store. */
  file: string;
  passphrase: string;
  /** scrypt cost for a new vault file; tests lower it, the app keeps the default. */
  cost?: ScryptCost;
}

export function passphraseVaultFile(storeFile: string): string {
  return path.join(path.dirname(storeFile), VAULT_FILE_NAME);
}

export class PassphraseVault implements KeyVault {
  readonly kind = 'passphrase' as const;
  private readonly file: string;
  private readonly passphrase: string;
  private readonly cost: ScryptCost;
  private unlocked: { salt: string; key: Buffer } | null = null;

  constructor(options: PassphraseVaultOptions) {
    this.file = options.file;
    this.passphrase = options.passphrase;
    this.cost = options.cost ?? DEFAULT_SCRYPT_COST;
    registerSecret(options.passphrase);
  }

  private read(): VaultFile | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return vaultFileSchema.parse(JSON.parse(text));
    } catch {
      throw new VaultFileError();
    }
  }

  /** The derived key for this file, checked against the sealed check value. */
  private async keyFor(vault: VaultFile): Promise<Buffer> {
    if (this.unlocked?.salt === vault.kdf.salt) return this.unlocked.key;
    const key = await deriveKey(this.passphrase, vault.kdf);
    if (open(key, 'check', vault.check) !== CHECK_PLAINTEXT) throw new VaultPassphraseError();
    this.unlocked = { salt: vault.kdf.salt, key };
    return key;
  }

  private async create(): Promise<VaultFile> {
    checkPassphraseStrength(this.passphrase);
    const kdf = newScryptParams(this.cost);
    const key = await deriveKey(this.passphrase, kdf);
    this.unlocked = { salt: kdf.salt, key };
    return { format: FORMAT, version: 1, kdf, check: seal(key, 'check', CHECK_PLAINTEXT), secrets: {} };
  }

  private write(vault: VaultFile): void {
    writeFileAtomic(this.file, `${JSON.stringify(vault, null, 2)}\n`);
  }

  /** Confirms the passphrase opens the existing vault file (no-op when there is none yet). */
  async unlock(): Promise<void> {
    const vault = this.read();
    if (vault) await this.keyFor(vault);
  }

  async get(account: string): Promise<string | null> {
    const vault = this.read();
    if (!vault) return null;
    const key = await this.keyFor(vault);
    const sealed = vault.secrets[account];
    if (!sealed) return null;
    const secret = open(key, `secret:${account}`, sealed);
    registerSecret(secret);
    return secret;
  }

  async set(account: string, secret: string): Promise<void> {
    registerSecret(secret);
    const vault = this.read() ?? (await this.create());
    const key = await this.keyFor(vault);
    vault.secrets[account] = seal(key, `secret:${account}`, secret);
    this.write(vault);
  }

  async delete(account: string): Promise<boolean> {
    const vault = this.read();
    if (!vault) return false;
    await this.keyFor(vault);
    if (!(account in vault.secrets)) return false;
    delete vault.secrets[account];
    this.write(vault);
    return true;
  }

  async probe(): Promise<VaultProbe> {
    try {
      await this.unlock();
      return { ok: true, detail: 'passphrase vault unlocked' };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }
}
