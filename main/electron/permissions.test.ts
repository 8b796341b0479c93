import { describe, expect, it } from 'vitest';
import { denyAllPermissions, type PermissionSession } from './permissions';

type Handlers = {
  request?: Parameters<PermissionSession['setPermissionRequestHandler']>[0];
  check?: Parameters<PermissionSession['setPermissionCheckHandler']>[0];
  device?: Parameters<PermissionSession['setDevicePermissionHandler']>[0];
  displayMedia?: Parameters<NonNullable<PermissionSession['setDisplayMediaRequestHandler']>>[0];
};

function fakeSession(withDisplayMedia = true): { session: PermissionSession; handlers: Handlers } {
  const handlers: Handlers = {};
  const session: PermissionSession = {
    setPermissionRequestHandler: (handler) => (handlers.request = handler),
    setPermissionCheckHandler: (handler) => (handlers.check = handler),
    setDevicePermissionHandler: (handler) => (handlers.device = handler),
  };
  if (withDisplayMedia)
    session.setDisplayMediaRequestHandler = (handler) => (handlers.displayMedia = handler);
  return { session, handlers };
}

const PERMISSIONS = [
  'media',
  'geolocation',
  'notifications',
  'clipboard-read',
  'display-capture',
  'fullscreen',
  'openExternal',
  'midiSysex',
  'fileSystem',
  'unknown',
];

describe('denyAllPermissions', () => {
  it('refuses every permission request', () => {
    const { session, handlers } = fakeSession();
    denyAllPermissions(session);
    expect(handlers.request).toBeDefined();
    for (const permission of PERMISSIONS) {
      const answers: boolean[] = [];
      handlers.request!({}, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
    }
  });

  it('answers every permission check with false', () => {
    const { session, handlers } = fakeSession();
    denyAllPermissions(session);
    expect(handlers.check).toBeDefined();
    for (const permission of [...PERMISSIONS, 'serial', 'usb', 'hid']) {
      expect(handlers.check!({}, permission), permission).toBe(false);
    }
  });

  it('refuses every device', () => {
    const { session, handlers } = fakeSession();
    denyAllPermissions(session);
    expect(handlers.device).toBeDefined();
    expect(handlers.device!({ deviceType: 'usb', origin: 'app://dawsos' })).toBe(false);
  });

  it('refuses screen capture by answering with no stream', () => {
    const { session, handlers } = fakeSession();
    denyAllPermissions(session);
    expect(handlers.displayMedia).toBeDefined();
    const answers: object[] = [];
    handlers.displayMedia!({}, (streams) => answers.push(streams));
    expect(answers).toEqual([{}]);
  });

  it('still denies the rest where display-media handling does not exist', () => {
    const { session, handlers } = fakeSession(false);
    expect(() => denyAllPermissions(session)).not.toThrow();
    expect(handlers.check!({}, 'media')).toBe(false);
  });
});
