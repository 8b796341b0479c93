import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from './status-format';

describe('formatDuration', () => {
  it('shows seconds, then minutes, hours and days with the next unit padded', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59.9)).toBe('59 s');
    expect(formatDuration(187)).toBe('3 min 07 s');
    expect(formatDuration(2 * 3600 + 5 * 60 + 59)).toBe('2 h 05 min');
    expect(formatDuration(3 * 86400 + 4 * 3600)).toBe('3 d 04 h');
  });

  it('never shows a negative uptime', () => {
    expect(formatDuration(-5)).toBe('0 s');
  });
});

describe('formatBytes', () => {
  it('uses binary units with one decimal above a KiB', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(49_152)).toBe('48.0 KiB');
    expect(formatBytes(5 * 1024 ** 3 + 1024 ** 3 / 2)).toBe('5.5 GiB');
  });
});
