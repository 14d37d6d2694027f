/**
 * The app's report printer with electron mocked (the binary cannot be installed here): A4 is asked for
 * explicitly, the window is hidden and sandboxed in its own session, that session loads nothing but the
 * report file and data: URLs, and the temporary file is gone afterwards.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const state = vi.hoisted(() => ({
  windows: [] as {
    options: Record<string, any>;
    url: string;
    html: string;
    destroyed: boolean;
    printOptions: unknown;
    captures: unknown[];
    scripts: string[];
  }[],
  partition: null as string | null,
  beforeRequest: null as ((details: { url: string }, callback: (r: { cancel: boolean }) => void) => void) | null,
  permission: null as ((contents: unknown, permission: string, callback: (ok: boolean) => void) => void) | null,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    readonly record: (typeof state.windows)[number];
    readonly webContents: Record<string, unknown>;
    constructor(options: Record<string, any>) {
      this.record = { options, url: '', html: '', destroyed: false, printOptions: null, captures: [], scripts: [] };
      state.windows.push(this.record);
      const record = this.record;
      this.webContents = {
        executeJavaScript: vi.fn(async (code: string) => {
          record.scripts.push(code);
          return true;
        }),
        printToPDF: vi.fn(async (options: unknown) => {
          record.printOptions = options;
          return Buffer.from('%PDF-1.4 fake');
        }),
        capturePage: vi.fn(async (rect: unknown) => {
          record.captures.push(rect);
          return { toPNG: () => Buffer.from('png') };
        }),
      };
    }
    async loadURL(url: string): Promise<void> {
      this.record.url = url;
      this.record.html = readFileSync(fileURLToPath(url), 'utf8');
    }
    isDestroyed(): boolean {
      return this.record.destroyed;
    }
    destroy(): void {
      this.record.destroyed = true;
    }
  }
  const fromPartition = vi.fn((partition: string) => {
    state.partition = partition;
    return {
      setPermissionRequestHandler: (handler: typeof state.permission) => (state.permission = handler),
      setPermissionCheckHandler: vi.fn(),
      setSpellCheckerEnabled: vi.fn(),
      webRequest: { onBeforeRequest: (listener: typeof state.beforeRequest) => (state.beforeRequest = listener) },
    };
  });
  return { BrowserWindow, session: { fromPartition } };
});

const { createElectronPrinter, isPrintableUrl, PRINT_PARTITION } = await import('../../electron/main/report-printer');

beforeEach(() => {
  state.windows.length = 0;
});

describe('Electron report printer', () => {
  it('prints the report HTML to an A4 PDF in a hidden sandboxed window of its own session', async () => {
    const printer = createElectronPrinter();
    const pdf = await printer.pdf('<!doctype html><p>支行经营周报</p>');
    expect(Buffer.from(pdf).toString()).toContain('%PDF');
    const [win] = state.windows;
    expect(win!.options).toMatchObject({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
    expect(win!.options.webPreferences.preload).toBeUndefined();
    expect(win!.printOptions).toMatchObject({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true });
    expect(win!.html).toContain('支行经营周报');
    expect(win!.scripts).toEqual(['document.fonts.ready.then(() => true)']);
    expect(state.partition).toBe(PRINT_PARTITION);
    expect(PRINT_PARTITION.startsWith('persist:')).toBe(false);
    expect(win!.destroyed).toBe(true);
    expect(existsSync(fileURLToPath(win!.url))).toBe(false);
  });

  it('loads only the file being printed and data: URLs, and refuses every permission', async () => {
    const printer = createElectronPrinter();
    await printer.pdf('<p>x</p>');
    const decide = (url: string) => {
      let cancel: boolean | null = null;
      state.beforeRequest!({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide('https://cdn.example.com/font.woff2')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
    expect(decide(state.windows[0]!.url)).toBe(true); // printed and removed: no longer allowed
    expect(decide('data:font/ttf;base64,AAAA')).toBe(false);
    expect(isPrintableUrl('http://127.0.0.1/')).toBe(false);
    let granted: boolean | null = null;
    state.permission!(null, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('draws the charts of the Excel appendix by capturing each clip', async () => {
    const printer = createElectronPrinter();
    const shots = await printer.images('<svg></svg>', { width: 680, height: 500 }, [
      { x: 0, y: 0, width: 680, height: 230 },
      { x: 0, y: 242, width: 680, height: 230 },
    ]);
    expect(shots).toHaveLength(2);
    const [win] = state.windows;
    expect(win!.options).toMatchObject({ width: 680, height: 500 });
    expect(win!.captures).toEqual([
      { x: 0, y: 0, width: 680, height: 230 },
      { x: 0, y: 242, width: 680, height: 230 },
    ]);
  });
});
