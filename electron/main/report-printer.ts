/**
 * The app's report printer: Electron's own Chromium prints the report HTML the engine made
 * (webContents.printToPDF, A4 set explicitly: Electron's default is Letter) and draws the charts of the
 * Excel appendix (capturePage). The same HTML the CLI prints with playwright-core.
 *
 * Each print gets a hidden, sandboxed window in its own in-memory session. The HTML goes to a private
 * temporary file (a report with its embedded font is too long for a data: URL) and that session lets
 * exactly that file and data: URLs load; every other request is cancelled and every permission refused.
 * The file is removed after printing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session, type Session } from 'electron';
import type { ImageClip, ReportPrinter } from '../engine/reports/render/printer';

export const PRINT_PARTITION = 'bpw-report-print';

/** A4 at 96 dpi, the size the window lays the page out at before printing. */
const A4_PX = { width: 794, height: 1123 };

const allowed = new Set<string>();

/** Whether the print session may load a URL: the report file being printed, or an inline data: URL. */
export function isPrintableUrl(url: string): boolean {
  return url.startsWith('data:') || allowed.has(url);
}

let printSession: Session | null = null;

function hardenedSession(): Session {
  if (printSession) return printSession;
  const s = session.fromPartition(PRINT_PARTITION, { cache: false });
  s.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.setSpellCheckerEnabled(false);
  s.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isPrintableUrl(details.url) }));
  printSession = s;
  return s;
}

async function withPage<T>(html: string, size: { width: number; height: number }, use: (win: BrowserWindow) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bpw-report-'));
  const file = join(dir, `${randomBytes(8).toString('hex')}.html`);
  writeFileSync(file, html, { encoding: 'utf8', mode: 0o600 });
  const url = pathToFileURL(file).href;
  allowed.add(url);
  const win = new BrowserWindow({
    show: false,
    width: size.width,
    height: size.height,
    useContentSize: true,
    webPreferences: { session: hardenedSession(), sandbox: true, contextIsolation: true, nodeIntegration: false, spellcheck: false, devTools: false },
  });
  try {
    await win.loadURL(url);
    // The embedded font is decoded asynchronously; printing before it is ready would fall back.
    await win.webContents.executeJavaScript('document.fonts.ready.then(() => true)');
    return await use(win);
  } finally {
    allowed.delete(url);
    if (!win.isDestroyed()) win.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function createElectronPrinter(): ReportPrinter {
  return {
    pdf: (html) => withPage(html, A4_PX, async (win) => win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true })),
    images: (html, size, clips: readonly ImageClip[]) =>
      withPage(html, size, async (win) => {
        const shots: Uint8Array[] = [];
        for (const clip of clips) shots.push((await win.webContents.capturePage(clip)).toPNG());
        return shots;
      }),
  };
}
