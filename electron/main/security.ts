/**
 * The security posture of DESIGN.md §2, in one place: the Content-Security-Policy, which URLs the app may
 * load at all, and the denials every session and every webContents gets (navigation, new windows,
 * permissions, webviews).
 *
 * Nothing here reads `app` or touches Electron at import time, so tests import it with electron mocked.
 */
import type { App, Event as ElectronEvent, Session, WebContents } from 'electron';
import { APP_HOST, APP_SCHEME } from './protocol-constants';

/**
 * The one CSP of the app. Sent as a header on every app:// response (protocol.ts) and again through
 * session.webRequest.onHeadersReceived, so that no response the window sees can go without it.
 *
 * `style-src 'unsafe-inline'` is the one relaxation, and it is needed: Element Plus positions popovers,
 * dialogs and virtual lists with inline `style` attributes, and ECharts writes inline styles on its
 * tooltip and canvas containers. Scripts stay strictly 'self' (no inline script, no eval). `data:`/`blob:`
 * are allowed for images (ECharts' getDataURL, inlined icons) and `data:` for fonts inlined by Vite; neither
 * can reach the network. Nothing may frame the app, post a form, or change the base URL.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface UrlPolicy {
  /** Lets the Chromium DevTools front end load (development only; the packaged app has no DevTools). */
  allowDevtools?: boolean;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a URL of the app's own origin, app://workbench/… (nothing else, not even app://other/). */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

/**
 * Decides, for session.webRequest.onBeforeRequest, whether a request may happen at all. A pure predicate
 * so that it is tested on its own.
 *
 * Allowed: the app's own origin (app://workbench/), `blob:` URLs minted by that origin, and `data:` URLs.
 * blob: and data: are in-memory: they never touch the network or the file system, and the CSP already
 * limits them to images and fonts. `devtools:` only when asked for (unpackaged builds).
 *
 * Denied: everything else — http(s), ws(s), ftp, file (the renderer is served from app://, so it never
 * needs file:, and denying it keeps a compromised renderer from reading local files), chrome:,
 * chrome-extension:, javascript:, filesystem:, other app:// hosts, and anything unparseable.
 */
export function isAllowedUrl(url: string, policy: UrlPolicy = {}): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  switch (parsed.protocol) {
    case `${APP_SCHEME}:`:
      return isAppUrl(url);
    case 'data:':
      return true;
    case 'blob:':
      // blob:app://workbench/<uuid>: the inner URL names the origin that created the blob.
      return isAppUrl(parsed.pathname);
    case 'devtools:':
      return policy.allowDevtools === true;
    default:
      return false;
  }
}

/** Response headers with our CSP replacing whatever CSP (in any letter case) the response carried. */
export function withContentSecurityPolicy(headers: Record<string, string | string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}

/**
 * Locks down a session: every permission request and check is refused (no camera, microphone,
 * notifications, geolocation, clipboard-read, HID/serial/USB…), the spell checker is off (it would download
 * Hunspell dictionaries from a Google CDN), every request to a URL `isAllowedUrl` rejects is cancelled, and
 * every response carries the CSP.
 */
export function hardenSession(session: Session, policy: UrlPolicy = {}): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setSpellCheckerEnabled(false);

  // No URL filter: the listener sees every request of the session, including custom schemes, and the
  // predicate decides. A filter of url patterns would let anything it does not match pass unseen.
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedUrl(details.url, policy) });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    // The DevTools front end brings its own policy; only ever reached in development.
    if (details.url.startsWith('devtools:')) {
      callback({});
      return;
    }
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}

const deny = (event: ElectronEvent) => event.preventDefault();

/**
 * The denials every webContents gets. The app is one page that changes views with its router, so it never
 * needs to navigate, redirect, open a window or host a webview: all of them are refused outright.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', deny);
  contents.on('will-frame-navigate', deny);
  contents.on('will-redirect', deny);
  contents.on('will-attach-webview', deny);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * Applies hardenWebContents to every webContents Electron creates, whatever created it (devtools, a
 * future window, a webview that slipped through), so no contents exists without the denials.
 */
export function installWebContentsGuards(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}
