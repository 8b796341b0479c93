// What the Status screen shows about the local store before and while it is open.
import fs from 'node:fs';
import type { StoreStatus } from '../../shared/ipc/store';

/**
 * State of the store file as seen from outside: absent when there is no file, locked while the
 * app has not opened it. An open store reports its own status (schema version) instead.
 */
export function storeFileStatus(file: string): StoreStatus {
  try {
    const stat = fs.statSync(file);
    return { state: 'locked', schemaVersion: null, sizeBytes: stat.size, path: file };
  } catch {
    return { state: 'absent', schemaVersion: null, sizeBytes: null, path: file };
  }
}
