// A private, unlocked Secret Service for tests of the keychain adapter: a session D-Bus daemon
// plus gnome-keyring-daemon (secrets component only), both in a throwaway HOME so the machine's
// own keyrings are never touched. gnome-keyring needs a non-empty unlock password on stdin.
// Needs the Debian packages dbus and gnome-keyring (`.ci/run` installs them).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const UNLOCK_PASSWORD = 'dawsos-test-keyring';
const START_TIMEOUT_MS = 15_000;

export interface SecretService {
  /** DBUS_SESSION_BUS_ADDRESS of the private bus. */
  address: string;
  /** Environment for child processes that should use this Secret Service. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error('dbus-daemon did not print its address')),
      START_TIMEOUT_MS,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const newline = buffer.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(buffer.slice(0, newline).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dbus-daemon exited early (${String(code)})`));
    });
  });
}

function kill(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function waitForSecretsName(env: NodeJS.ProcessEnv): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      const { stdout } = await run(
        'dbus-send',
        [
          '--session',
          '--print-reply',
          '--dest=org.freedesktop.DBus',
          '/org/freedesktop/DBus',
          'org.freedesktop.DBus.ListNames',
        ],
        { env },
      );
      if (stdout.includes('org.freedesktop.secrets')) return;
    } catch {
      // bus not ready yet
    }
    if (Date.now() > deadline)
      throw new Error('gnome-keyring-daemon did not register org.freedesktop.secrets');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface SecretServiceOptions {
  /** Reuse a HOME whose keyring an earlier service created (the caller removes it). */
  home?: string;
  /** Unlock the login keyring (default). Without it an existing keyring stays locked. */
  unlock?: boolean;
}

export async function startSecretService(options: SecretServiceOptions = {}): Promise<SecretService> {
  const ownHome = options.home === undefined;
  const home = options.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-keyring-'));
  const unlock = options.unlock ?? true;
  const removeHome = () => {
    if (ownHome) fs.rmSync(home, { recursive: true, force: true });
  };
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_RUNTIME_DIR: path.join(home, 'run'),
  };
  fs.mkdirSync(baseEnv.XDG_RUNTIME_DIR as string, { recursive: true, mode: 0o700 });
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], {
    env: baseEnv,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let keyring: ChildProcess | undefined;
  try {
    const address = await firstLine(bus);
    const env = { ...baseEnv, DBUS_SESSION_BUS_ADDRESS: address };
    const args = ['--foreground', ...(unlock ? ['--unlock'] : []), '--components=secrets'];
    keyring = spawn('gnome-keyring-daemon', args, { env, stdio: ['pipe', 'ignore', 'ignore'] });
    keyring.stdin?.end(unlock ? UNLOCK_PASSWORD : '');
    await waitForSecretsName(env);
    const keyringPid = keyring.pid;
    return {
      address,
      env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
      stop: async () => {
        kill(keyringPid);
        kill(bus.pid);
        await new Promise((resolve) => setTimeout(resolve, 100));
        removeHome();
      },
    };
  } catch (error) {
    kill(keyring?.pid);
    kill(bus.pid);
    removeHome();
    throw error;
  }
}
