// The backup file format, version 1:
//
//   "DAWSOSBK" (8 bytes) | format version (1 byte) | header length (uint32 BE) | header (UTF-8 JSON)
//   | ciphertext | GCM tag (16 bytes)
//
// The header holds the scrypt parameters, the IV and the manifest (app version, schema version,
// row counts, SHA-256 of the plaintext snapshot). Everything before the ciphertext is the GCM
// additional data, so the manifest is covered by the tag: changing any byte anywhere fails
// authentication. The plaintext is a serialized SQLite image of the store.
import crypto from 'node:crypto';
import { z } from 'zod';
import { deriveKey, newScryptParams, scryptParamsSchema, type ScryptCost } from '../vault/kdf';
import { BackupAuthenticationError, BackupFormatError } from './errors';

const MAGIC = Buffer.from('DAWSOSBK', 'latin1');
const FORMAT_VERSION = 1;
const PREFIX_BYTES = MAGIC.length + 1 + 4;
const TAG_BYTES = 16;
const IV_BYTES = 12;
/** A header larger than this is not ours (row counts of a few dozen tables fit easily). */
const MAX_HEADER_BYTES = 64 * 1024;

export const manifestSchema = z
  .object({
    format: z.literal('dawsos-backup'),
    appVersion: z.string(),
    schemaVersion: z.number().int().nonnegative(),
    createdAt: z.string(),
    snapshotBytes: z.number().int().nonnegative(),
    snapshotSha256: z.string().regex(/^[0-9a-f]{64}$/),
    rowCounts: z.record(z.string(), z.number().int().nonnegative()),
  })
  .strict();
export type BackupManifest = z.infer<typeof manifestSchema>;

const headerSchema = z
  .object({
    kdf: scryptParamsSchema,
    cipher: z.literal('aes-256-gcm'),
    iv: z.string().min(1),
    manifest: manifestSchema,
  })
  .strict();

export async function sealBackup(
  snapshot: Buffer,
  manifest: BackupManifest,
  passphrase: string,
  cost?: ScryptCost,
): Promise<Buffer> {
  const kdf = newScryptParams(cost);
  const key = await deriveKey(passphrase, kdf);
  const iv = crypto.randomBytes(IV_BYTES);
  const header = Buffer.from(
    JSON.stringify({ kdf, cipher: 'aes-256-gcm', iv: iv.toString('base64'), manifest }),
    'utf8',
  );
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt8(FORMAT_VERSION, MAGIC.length);
  prefix.writeUInt32BE(header.length, MAGIC.length + 1);
  const aad = Buffer.concat([prefix, header]);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(snapshot), cipher.final()]);
  return Buffer.concat([aad, body, cipher.getAuthTag()]);
}

/** The manifest as written in the header, before authentication. Shown, never trusted. */
export function readUnverifiedHeader(file: Buffer): { aad: Buffer; header: z.infer<typeof headerSchema> } {
  if (file.length < PREFIX_BYTES + TAG_BYTES || !file.subarray(0, MAGIC.length).equals(MAGIC))
    throw new BackupFormatError();
  if (file.readUInt8(MAGIC.length) !== FORMAT_VERSION) throw new BackupFormatError();
  const headerLength = file.readUInt32BE(MAGIC.length + 1);
  if (headerLength > MAX_HEADER_BYTES || PREFIX_BYTES + headerLength + TAG_BYTES > file.length)
    throw new BackupFormatError();
  const headerBytes = file.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength);
  let header: z.infer<typeof headerSchema>;
  try {
    header = headerSchema.parse(JSON.parse(headerBytes.toString('utf8')));
  } catch {
    throw new BackupFormatError();
  }
  return { aad: file.subarray(0, PREFIX_BYTES + headerLength), header };
}

/** Decrypts and authenticates a backup; the snapshot's SHA-256 is checked against the manifest. */
export async function openBackup(
  file: Buffer,
  passphrase: string,
): Promise<{ manifest: BackupManifest; snapshot: Buffer }> {
  const { aad, header } = readUnverifiedHeader(file);
  const key = await deriveKey(passphrase, header.kdf);
  let snapshot: Buffer;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'base64'));
    decipher.setAAD(aad);
    decipher.setAuthTag(file.subarray(file.length - TAG_BYTES));
    snapshot = Buffer.concat([
      decipher.update(file.subarray(aad.length, file.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new BackupAuthenticationError();
  }
  const digest = crypto.createHash('sha256').update(snapshot).digest('hex');
  if (digest !== header.manifest.snapshotSha256 || snapshot.length !== header.manifest.snapshotBytes)
    throw new BackupAuthenticationError();
  return { manifest: header.manifest, snapshot };
}
