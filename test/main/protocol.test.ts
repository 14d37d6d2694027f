import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { APP_ENTRY_URL, createAppRequestHandler, installAppProtocol, registerAppScheme } = await import('../../electron/main/protocol');
const { CONTENT_SECURITY_POLICY } = await import('../../electron/main/security');

let dir: string;
let root: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bpw-protocol-'));
  root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>工作台</title><script type="module" src="./assets/index.js"></script>');
  writeFileSync(join(root, 'assets', 'index.js'), 'console.log("hi")');
  writeFileSync(join(root, 'assets', 'index.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'font.woff2'), Buffer.from([1, 2, 3]));
  writeFileSync(join(dir, 'secret.txt'), 'customer data');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => resetFake());

const get = (url: string, method = 'GET') => createAppRequestHandler(root)(new Request(url, { method }));

describe('app:// scheme', () => {
  it('is registered as a standard, secure scheme that does not bypass the CSP', () => {
    registerAppScheme();
    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledOnce();
    const [schemes] = fake.protocol.registerSchemesAsPrivileged.mock.calls[0]! as unknown as [{ scheme: string; privileges: Record<string, boolean> }[]];
    expect(schemes).toHaveLength(1);
    expect(schemes[0]!.scheme).toBe('app');
    expect(schemes[0]!.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    expect(schemes[0]!.privileges.bypassCSP).not.toBe(true);
    expect(schemes[0]!.privileges.allowServiceWorkers).not.toBe(true);
  });

  it('installs one handler for the scheme', () => {
    installAppProtocol(root);
    expect(fake.protocol.handle).toHaveBeenCalledOnce();
    expect(fake.protocol.handle.mock.calls[0]![0]).toBe('app');
    expect(APP_ENTRY_URL).toBe('app://workbench/index.html');
  });
});

describe('the app protocol handler', () => {
  it('serves index.html with the CSP header', async () => {
    const response = await get('app://workbench/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('工作台');
  });

  it('serves the root as index.html', async () => {
    const response = await get('app://workbench/');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>');
  });

  it('gives module scripts, styles and fonts their MIME types, each with the CSP', async () => {
    for (const [path, type] of [
      ['assets/index.js', 'text/javascript; charset=utf-8'],
      ['assets/index.css', 'text/css; charset=utf-8'],
      ['assets/font.woff2', 'font/woff2'],
    ] as const) {
      const response = await get(`app://workbench/${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('answers a missing asset with 404 (and the CSP), a client route with the app shell', async () => {
    const missing = await get('app://workbench/assets/missing.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const route = await get('app://workbench/customers');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>');
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const url of ['app://workbench/..%2fsecret.txt', 'app://workbench/assets/..%2f..%2fsecret.txt', 'app://workbench/%2e%2e%2fsecret.txt']) {
      const response = await get(url);
      expect(response.status, url).toBe(403);
      expect(await response.text()).not.toContain('customer data');
    }
    const normalised = await get('app://workbench/../secret.txt');
    expect(normalised.status).toBe(404);
    expect(await normalised.text()).not.toContain('customer data');
  });

  it('refuses other hosts, bad encodings, NUL bytes and writes', async () => {
    expect((await get('app://other/index.html')).status).toBe(403);
    expect((await get('app://workbench/%E0%A4%A')).status).toBe(403);
    expect((await get('app://workbench/index.html%00.js')).status).toBe(403);
    expect((await get('app://workbench/index.html', 'POST')).status).toBe(405);
  });

  it('answers HEAD without a body', async () => {
    const response = await get('app://workbench/index.html', 'HEAD');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});
