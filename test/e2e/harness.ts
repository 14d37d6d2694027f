/**
 * Runs the built renderer in Debian's Chromium against a real EngineHost in this process:
 * - a tiny HTTP server on 127.0.0.1 serves dist/renderer with the app's CSP header;
 * - the init script (bridge-entry.ts, bundled) defines window.workbench exactly as the preload does;
 * - `__bpwInvoke` answers `app.*` channels with desktop fakes (dialogs answer paths queued by the test)
 *   and everything else with EngineHost.invoke, which validates payloads as the main process does;
 * - engine events are pushed into the page with page.evaluate;
 * - every request the page makes is recorded, so a test can assert nothing left the origin.
 */
import { mkdirSync, readFileSync, existsSync, writeFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { parseRequest, type Envelope, type RecentWorkspace } from '../../shared/api';
import type { SecurityPolicy } from '../../shared/security';
import { EngineHost } from '../../electron/engine/host';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/security';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const distDir = join(repoRoot, 'dist/renderer');
export const tmpRoot = join(repoRoot, 'test/e2e/.tmp');
export const screenshotDir = join(repoRoot, 'test/e2e/screenshots');
export const bridgeBundle = join(tmpRoot, 'bridge.iife.js');

/** The app's own Content Security Policy (DESIGN.md §2), sent as a header like the Electron shell does. */
export const CSP = CONTENT_SECURITY_POLICY;

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage', '--lang=zh-CN'];

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
};

/** Bundles bridge-entry.ts into the init script. */
export async function bundleBridge(): Promise<string> {
  mkdirSync(tmpRoot, { recursive: true });
  await build({
    entryPoints: [join(repoRoot, 'test/e2e/bridge-entry.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    outfile: bridgeBundle,
    logLevel: 'silent',
  });
  return bridgeBundle;
}

/** Serves dist/renderer on a random port of 127.0.0.1 with the CSP header. */
export async function serveRenderer(root = distDir): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = normalize(join(root, rel));
    if (!file.startsWith(resolve(root)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

/** What the harness needs of the engine: EngineHost, or a stand-in for screen development. */
export type EngineLike = Pick<EngineHost, 'invoke' | 'onEvent' | 'close'>;

export interface Workbench {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  host: EngineLike;
  origin: string;
  /** Every URL the page requested, in order. */
  requests: string[];
  /** Console errors, including CSP violations. */
  consoleErrors: string[];
  /** Paths the next open/save dialogs answer, in order; an empty queue answers "cancelled" (null). */
  dialogAnswers: (string | null)[];
  /** Requests the page made to app.* dialog channels, for assertions. */
  dialogRequests: { channel: string; payload: unknown }[];
  /** This computer's security policy, as the main process keeps it (app.securityPolicy). */
  securityPolicy: SecurityPolicy;
  /** A workspace the menu could not open without its passphrase (app.pendingUnlock), read once by the page. */
  pendingUnlock: { path: string } | null;
  /**
   * Saves a screenshot to test/e2e/screenshots/<name>.png: the window as the user sees it, or with
   * `tall`, the window grown to the whole height of the current screen (the main area scrolls inside).
   */
  screenshot(name: string, options?: { tall?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  viewport?: { width: number; height: number };
  /** A file holding the recent-workspaces list, as the Electron shell keeps one. */
  recentFile?: string;
  /** The engine to answer with; a new EngineHost by default. */
  engine?: EngineLike;
  /**
   * 'granted': the engine touches only paths the dialogs returned, as in the app (electron/main grants them);
   * the default engine accepts any path.
   */
  fileAccess?: 'granted';
}

/** Launches Chromium on the built renderer with window.workbench wired to a fresh EngineHost. */
export async function launchWorkbench(options: LaunchOptions = {}): Promise<Workbench> {
  if (!existsSync(join(distDir, 'index.html'))) throw new Error('dist/renderer is missing: run the e2e global setup (vite build) first');
  if (!existsSync(bridgeBundle)) await bundleBridge();
  mkdirSync(tmpRoot, { recursive: true });
  const recentFile = options.recentFile ?? join(tmpRoot, `recent-${process.pid}-${Date.now()}.json`);
  const { server, origin } = await serveRenderer();
  const host: EngineLike = options.engine ?? newEngineHost(options.fileAccess);
  const grant = (path: unknown, kind: 'read' | 'write' | 'folder') => {
    if (typeof path === 'string') (host as Partial<Pick<EngineHost, 'grantPath'>>).grantPath?.(path, kind);
  };
  const security = { policy: { requireEncryption: false } as SecurityPolicy, pendingUnlock: null as { path: string } | null };
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const dialogAnswers: (string | null)[] = [];
  const dialogRequests: { channel: string; payload: unknown }[] = [];

  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));

  const readRecent = (): RecentWorkspace[] => {
    try {
      return (JSON.parse(readFileSync(recentFile, 'utf8')) as { path: string; openedAt: string }[]).map((r) => ({ ...r, exists: existsSync(r.path) }));
    } catch {
      return [];
    }
  };
  const remember = (path: string) => {
    const list = readRecent().filter((r) => r.path !== path);
    list.unshift({ path, openedAt: new Date().toISOString(), exists: true });
    writeFileSync(recentFile, JSON.stringify(list.slice(0, 10).map(({ path: p, openedAt }) => ({ path: p, openedAt }))));
  };

  /** The desktop services of electron/main, faked: validated like the real ones, answered from the test. */
  const appChannel = (channel: string, payload: unknown): Envelope<unknown> => {
    const known = ['app.openFileDialog', 'app.saveFileDialog', 'app.recentWorkspaces', 'app.revealFile', 'app.info', 'app.securityPolicy', 'app.setSecurityPolicy', 'app.pendingUnlock'] as const;
    if (!(known as readonly string[]).includes(channel)) {
      return { ok: false, error: { code: 'invalid_request', message: '未知的请求类型', detail: channel } };
    }
    const parsed = parseRequest(channel as (typeof known)[number], payload);
    if (!parsed.ok) return parsed;
    switch (channel as (typeof known)[number]) {
      case 'app.openFileDialog':
      case 'app.saveFileDialog': {
        dialogRequests.push({ channel, payload });
        const answer = dialogAnswers.length > 0 ? dialogAnswers.shift() : null;
        // As the main process does: what the user picks is granted to the engine.
        grant(answer, channel === 'app.saveFileDialog' ? 'write' : (payload as { directory?: boolean } | null)?.directory ? 'folder' : 'read');
        return { ok: true, data: answer };
      }
      case 'app.securityPolicy':
        return { ok: true, data: { ...security.policy } };
      case 'app.setSecurityPolicy':
        security.policy = { requireEncryption: (payload as SecurityPolicy).requireEncryption === true };
        (host as Partial<Pick<EngineHost, 'setPolicy'>>).setPolicy?.(security.policy);
        return { ok: true, data: { ...security.policy } };
      case 'app.pendingUnlock': {
        const pending = security.pendingUnlock;
        security.pendingUnlock = null;
        return { ok: true, data: pending };
      }
      case 'app.recentWorkspaces':
        return { ok: true, data: readRecent() };
      case 'app.revealFile':
        return { ok: true, data: null };
      case 'app.info':
        return { ok: true, data: { version: 'e2e', platform: process.platform, electron: null } };
    }
  };

  await page.exposeBinding('__bpwInvoke', async (_source, channel: unknown, payload: unknown): Promise<Envelope<unknown>> => {
    if (typeof channel === 'string' && channel.startsWith('app.')) return appChannel(channel, payload);
    const envelope = await host.invoke(channel, payload);
    if (envelope.ok && (channel === 'workspace.open' || channel === 'workspace.create')) remember((envelope.data as { path: string }).path);
    return envelope;
  });
  const stopEvents = host.onEvent((event, payload) => {
    page.evaluate(([e, p]) => (window as unknown as { __bpwEmit(e: string, p: unknown): void }).__bpwEmit(e, p), [event, payload] as const).catch(() => undefined);
  });
  await page.addInitScript({ path: bridgeBundle });

  return {
    browser,
    context,
    page,
    host,
    origin,
    requests,
    consoleErrors,
    dialogAnswers,
    dialogRequests,
    get securityPolicy() {
      return security.policy;
    },
    set securityPolicy(policy: SecurityPolicy) {
      security.policy = policy;
      (host as Partial<Pick<EngineHost, 'setPolicy'>>).setPolicy?.(policy);
    },
    get pendingUnlock() {
      return security.pendingUnlock;
    },
    set pendingUnlock(value: { path: string } | null) {
      security.pendingUnlock = value;
    },
    async screenshot(name, shotOptions = {}) {
      mkdirSync(screenshotDir, { recursive: true });
      const path = join(screenshotDir, `${name}.png`);
      const viewport = page.viewportSize();
      if (shotOptions.tall && viewport) {
        const height = await page.evaluate(() => document.querySelector('.main')?.scrollHeight ?? window.innerHeight);
        await page.setViewportSize({ width: viewport.width, height: Math.min(4000, Math.max(viewport.height, height)) });
        await page.waitForTimeout(500);
      }
      try {
        await page.screenshot({ path, fullPage: false, animations: 'disabled' });
      } finally {
        if (shotOptions.tall && viewport) await page.setViewportSize(viewport);
      }
      return path;
    },
    async close() {
      stopEvents();
      await browser.close().catch(() => undefined);
      await host.close().catch(() => undefined);
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** A real EngineHost; BPW_E2E_WORKER may name another worker module (a file: URL) when developing the engine. */
export function newEngineHost(fileAccess?: 'granted'): EngineHost {
  const worker = process.env.BPW_E2E_WORKER;
  return new EngineHost({ ...(worker ? { workerUrl: new URL(worker) } : {}), ...(fileAccess ? { fileAccess } : {}) });
}

/** URLs that left the page's origin; data: and blob: stay inside the page. */
export function foreignRequests(requests: string[], origin: string): string[] {
  return requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin);
}
