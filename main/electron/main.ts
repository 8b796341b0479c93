// Electron entry point (out/main/index.js). Everything it does lives in shell.ts and the modules
// beside it, which the tests drive with fakes; this file only hands them the real Electron.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, protocol, session, shell } from 'electron';
import { startShell } from './shell';

startShell(
  { app, BrowserWindow, ipcMain, protocol, session, shell },
  { mainDir: dirname(fileURLToPath(import.meta.url)) },
);
