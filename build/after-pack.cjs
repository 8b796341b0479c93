// electron-builder afterPack hook: flips Electron's fuses in the packed binary, before signing.
// Fuses are switches compiled into the Electron binary; flipping them removes ways to make the
// shipped app run code it was not built with:
//   RunAsNode off                       ELECTRON_RUN_AS_NODE cannot turn the app into a plain Node
//   EnableNodeOptionsEnvironmentVariable off   NODE_OPTIONS cannot inject --require and friends
//   EnableNodeCliInspectArguments off   --inspect cannot attach a debugger to the main process
//   OnlyLoadAppFromAsar on              the app loads only from app.asar, not a planted app/ folder
//   EnableEmbeddedAsarIntegrityValidation on   app.asar is checked against the hash in the binary
//                                        (macOS and Windows; electron-builder embeds the hash)
//   EnableCookieEncryption on           cookies on disk are encrypted with the OS keychain key
//   GrantFileProtocolExtraPrivileges off   file:// gets no special powers (the app uses app://)
// The packaging test runs this hook for real: its stand-in Electron carries a fuse wire, and the
// test reads the flipped wire back, so there is no switch that skips it.
'use strict';
// CommonJS because electron-builder loads hooks with require() first, and the lint setup expects
// build hooks as build/*.cjs.
/* eslint-disable @typescript-eslint/no-require-imports */
const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

/** The fuse settings, by option name, as data the unit test asserts one by one. */
const FUSES = Object.freeze({
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  OnlyLoadAppFromAsar: true,
  EnableEmbeddedAsarIntegrityValidation: true,
  EnableCookieEncryption: true,
  GrantFileProtocolExtraPrivileges: false,
});

const MAC_PLATFORMS = ['darwin', 'mas'];

/** The @electron/fuses config for one platform. */
function fuseConfig(electronPlatformName) {
  const config = {
    version: FuseVersion.V1,
    // Flipping fuses breaks an existing ad-hoc signature on macOS; re-sign so the app still starts.
    resetAdHocDarwinSignature: MAC_PLATFORMS.includes(electronPlatformName),
  };
  for (const [name, value] of Object.entries(FUSES)) {
    const index = FuseV1Options[name];
    if (typeof index !== 'number') throw new Error(`Unknown Electron fuse: ${name}`);
    config[index] = value;
  }
  return config;
}

/** The Electron executable electron-builder produced in appOutDir. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (MAC_PLATFORMS.includes(electronPlatformName)) {
    return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  }
  if (electronPlatformName === 'win32') {
    return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  }
  return path.join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  await flipFuses(electronBinaryPath(context), fuseConfig(context.electronPlatformName));
}

module.exports = { afterPack, default: afterPack, FUSES, fuseConfig, electronBinaryPath };
