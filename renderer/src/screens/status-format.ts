// Formatting for the About / Status screen: durations, byte sizes and host names for people.
import type { AppStatus } from '../../../shared/ipc/app';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const pad = (n: number) => String(n).padStart(2, '0');

/** 42 s · 3 min 07 s · 2 h 05 min · 3 d 04 h */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < MINUTE) return `${s} s`;
  if (s < HOUR) return `${Math.floor(s / MINUTE)} min ${pad(s % MINUTE)} s`;
  if (s < DAY) return `${Math.floor(s / HOUR)} h ${pad(Math.floor((s % HOUR) / MINUTE))} min`;
  return `${Math.floor(s / DAY)} d ${pad(Math.floor((s % DAY) / HOUR))} h`;
}

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/** 512 bytes · 48.0 KiB · 1.2 GiB */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes;
  let unit = 'bytes';
  for (const next of UNITS) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value.toFixed(1)} ${unit}`;
}

export const HOST_LABELS: Record<AppStatus['host'], string> = {
  electron: 'Desktop app',
  cli: 'Command line',
  test: 'Test harness',
};
