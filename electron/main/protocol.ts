/**
 * Serves the built renderer (dist/renderer) from the custom scheme app://workbench/.
 *
 * Why a custom scheme and not file://:
 * - app://workbench is a real, stable origin, so the CSP `default-src 'self'` means exactly "the bundled
 *   files" (a file:// page has an opaque origin, and 'self' there covers every file on disk);
 * - only files under dist/renderer can be served: the handler confines every path to that folder, where
 *   file:// would let a compromised renderer read any file the user can;
 * - the file: scheme can then be denied outright by webRequest (security.ts) and the
 *   grantFileProtocolExtraPrivileges fuse turned off (electron-builder.yml);
 * - the CSP goes out as a real response header on every file, not only as a <meta> tag.
 *
 * Registered as `standard` (relative URLs, a proper origin, localStorage) and `secure` (a secure context,
 * needed for ES module scripts and crypto.subtle), with fetch support for `connect-src 'self'` and V8 code
 * caching. It does NOT bypass CSP and does not allow service workers.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './protocol-constants';
import { CONTENT_SECURITY_POLICY } from './security';

export { APP_ENTRY_URL, APP_HOST, APP_ORIGIN, APP_SCHEME } from './protocol-constants';

/** Must run before the app's `ready` event (Electron's rule), i.e. synchronously at startup. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(file: string): string {
  return MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers every app:// response carries, errors included. */
export function baseHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Maps a request URL to a file under `root`, or null when it does not name one. Rejects other hosts,
 * undecodable or NUL-carrying paths and anything that resolves outside `root` (../, %2e%2e, backslashes).
 */
export async function resolveAppFile(root: string, requestUrl: string): Promise<string | null | 'forbidden'> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return 'forbidden';
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return 'forbidden';
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return 'forbidden';
  }
  if (pathname.includes('\0')) return 'forbidden';
  const base = resolve(root);
  const relative = pathname.replace(/^[/\\]+/, '');
  const file = resolve(base, relative === '' ? 'index.html' : relative);
  if (file !== base && !file.startsWith(base + sep)) return 'forbidden';
  if (await isFile(file)) return file;
  if (await isFile(resolve(file, 'index.html'))) return resolve(file, 'index.html');
  // A client-side route (no extension) falls back to the app shell; a missing asset is a 404.
  if (extname(file) === '') {
    const shell = resolve(base, 'index.html');
    if (await isFile(shell)) return shell;
  }
  return null;
}

/** The protocol handler, apart from Electron so tests can call it with real files. */
export function createAppRequestHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method Not Allowed');
    const file = await resolveAppFile(root, request.url);
    if (file === 'forbidden') return plain(403, 'Forbidden');
    if (file === null) return plain(404, 'Not Found');
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...baseHeaders(), 'Content-Type': mimeTypeOf(file) },
    });
  };
}

/** Answers app:// from `root` in the default session. Call after `ready`. */
export function installAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(root));
}
