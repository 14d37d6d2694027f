/**
 * Entry of the Electron main process (bundled to dist-electron/main.mjs by scripts/build.mjs). The only
 * module of electron/main with a side effect at import time.
 */
import { startApp } from './app';

startApp();
