// What the Status screen shows about the local store: absent (no file), locked (a file the app
// has not opened), or open (with its schema version).
import fs from 'node:fs';
import type { StoreStatus } from '../../shared/ipc/store';
import type { Store } from './open';

/** State of the store file as seen from outside: absent when there is no file, locked otherwise. */
export function storeFileStatus(file: string): StoreStatus {
  try {
    const stat = fs.statSync(file);
    return { state: 'locked', schemaVersion: null, sizeBytes: stat.size, path: file };
  } catch {
    return { state: 'absent', schemaVersion: null, sizeBytes: null, path: file };
  }
}

function sizeOnDisk(file: string): number {
  let total = 0;
  for (const part of [file, `${file}-wal`]) {
    try {
      total += fs.statSync(part).size;
    } catch {
      // no WAL right now
    }
  }
  return total;
}

/** Holds the store a host has opened, so `store:status` can report it. */
export class StoreService {
  private current: Store | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(readonly file: string) {}

  attach(store: Store): void {
    this.current = store;
    this.changed();
  }

  /** Calls `listener` after the store is attached or closed (e.g. to close other connections). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** The open store, or null while locked or absent. */
  get store(): Store | null {
    return this.current?.isOpen ? this.current : null;
  }

  close(): void {
    this.current?.close();
    this.current = null;
    this.changed();
  }

  status(): StoreStatus {
    const open = this.store;
    if (!open) return storeFileStatus(this.file);
    return {
      state: 'open',
      schemaVersion: open.schemaVersion,
      sizeBytes: sizeOnDisk(this.file),
      path: this.file,
    };
  }
}
