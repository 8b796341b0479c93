// The renderer needs no browser permission at all (no camera, microphone, notifications,
// geolocation, clipboard reads, devices or screen capture), so every request and every check is
// answered "no", including the device and display-media paths that bypass the request handler.

export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  setDisplayMediaRequestHandler?(
    handler: (request: unknown, callback: (streams: object) => void) => void,
  ): void;
}

export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // Answering with neither video nor audio refuses the capture.
  session.setDisplayMediaRequestHandler?.((_request, callback) => callback({}));
}
