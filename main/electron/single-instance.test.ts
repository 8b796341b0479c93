import { describe, expect, it } from 'vitest';
import { acquireSingleInstance, type FocusableWindow, type SingleInstanceApp } from './single-instance';

function fakeApp(lock: boolean) {
  const calls: string[] = [];
  const listeners = new Map<string, () => void>();
  const app: SingleInstanceApp = {
    requestSingleInstanceLock: () => {
      calls.push('lock');
      return lock;
    },
    quit: () => calls.push('quit'),
    on: (event, listener) => listeners.set(event, listener),
  };
  return { app, calls, listeners };
}

function fakeWindow(minimized: boolean) {
  const calls: string[] = [];
  const window: FocusableWindow = {
    isDestroyed: () => false,
    isMinimized: () => minimized,
    restore: () => calls.push('restore'),
    show: () => calls.push('show'),
    focus: () => calls.push('focus'),
  };
  return { window, calls };
}

describe('acquireSingleInstance', () => {
  it('quits when another instance holds the lock', () => {
    const { app, calls, listeners } = fakeApp(false);
    expect(acquireSingleInstance(app, () => null)).toBe(false);
    expect(calls).toEqual(['lock', 'quit']);
    expect(listeners.size).toBe(0);
  });

  it('keeps running with the lock and brings its window forward on a second launch', () => {
    const { app, calls, listeners } = fakeApp(true);
    const { window, calls: windowCalls } = fakeWindow(true);
    expect(acquireSingleInstance(app, () => window)).toBe(true);
    expect(calls).toEqual(['lock']);
    listeners.get('second-instance')?.();
    expect(windowCalls).toEqual(['restore', 'show', 'focus']);
  });

  it('does not restore a window that is not minimised, and survives having no window yet', () => {
    const { app, listeners } = fakeApp(true);
    const { window, calls } = fakeWindow(false);
    let current: FocusableWindow | null = null;
    acquireSingleInstance(app, () => current);
    expect(() => listeners.get('second-instance')?.()).not.toThrow();
    current = window;
    listeners.get('second-instance')?.();
    expect(calls).toEqual(['show', 'focus']);
  });
});
