/**
 * The app's own origin. The renderer is served from app://workbench/, a custom scheme registered as
 * standard and secure (see protocol.ts), never from http:// or file://.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'workbench';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the main window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
