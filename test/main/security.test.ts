import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEvent, FakeSession, FakeWebContents, fake, resetFake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { CONTENT_SECURITY_POLICY, hardenSession, hardenWebContents, installWebContentsGuards, isAllowedUrl, isAppUrl, withContentSecurityPolicy } = await import(
  '../../electron/main/security'
);

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

beforeEach(() => resetFake());

describe('CSP', () => {
  it('is exactly the policy of DESIGN.md §2', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(EXPECTED_CSP);
  });

  it('never allows remote or inline script', () => {
    const scriptSrc = CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|unsafe-eval/);
  });

  it('replaces any CSP a response carried, whatever its letter case', () => {
    const headers = withContentSecurityPolicy({ 'content-security-policy': ['default-src *'], 'Content-Type': 'text/html', 'CONTENT-SECURITY-POLICY-REPORT-ONLY': 'x' });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [EXPECTED_CSP] });
  });
});

describe('isAllowedUrl', () => {
  it.each([
    'app://workbench/index.html',
    'app://workbench/assets/index-abc123.js',
    'app://workbench/',
    'data:image/png;base64,iVBORw0KGgo=',
    'data:font/woff2;base64,d09GMgABAAAAA',
    'blob:app://workbench/8c1e9c1e-0000-4000-8000-000000000000',
  ])('allows %s', (url) => {
    expect(isAllowedUrl(url)).toBe(true);
  });

  it.each([
    'http://localhost:5173/',
    'http://127.0.0.1/',
    'https://example.com/track.gif',
    'https://fonts.googleapis.com/css?family=Noto',
    'ws://localhost:8080/',
    'wss://example.com/socket',
    'ftp://example.com/file',
    'file:///etc/passwd',
    'file:///C:/Users/analyst/customers.csv',
    'chrome-extension://abcdefghijklmnop/background.js',
    'chrome://settings',
    'devtools://devtools/bundled/devtools_app.html',
    'javascript:alert(1)',
    'filesystem:app://workbench/temporary/x',
    'blob:https://example.com/8c1e9c1e',
    'app://evil/index.html',
    'app://user:pass@workbench/index.html',
    'about:blank',
    'mailto:someone@example.com',
    'not a url',
    '',
  ])('denies %s', (url) => {
    expect(isAllowedUrl(url)).toBe(false);
  });

  it('allows devtools: only when asked (unpackaged runs)', () => {
    expect(isAllowedUrl('devtools://devtools/bundled/devtools_app.html', { allowDevtools: true })).toBe(true);
    expect(isAllowedUrl('https://example.com/', { allowDevtools: true })).toBe(false);
  });

  it('isAppUrl accepts only the app origin', () => {
    expect(isAppUrl('app://workbench/index.html#/customers')).toBe(true);
    expect(isAppUrl('app://workbench.evil/index.html')).toBe(false);
    expect(isAppUrl('https://workbench/index.html')).toBe(false);
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check', () => {
    const session = new FakeSession();
    hardenSession(session as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb']) {
      const callback = vi.fn();
      session.permissionRequestHandler!(new FakeWebContents(), permission, callback, {});
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(session.permissionCheckHandler!(new FakeWebContents(), permission, 'app://workbench', {})).toBe(false);
    }
    expect(session.devicePermissionHandler!({ deviceType: 'usb', origin: 'app://workbench' })).toBe(false);
    expect(session.spellCheckerEnabled).toBe(false);
  });

  it('webRequest sees every request (no URL filter) and cancels all but the app origin', () => {
    const session = new FakeSession();
    hardenSession(session as never);
    expect(session.beforeRequest).toHaveLength(1);
    const { filter, listener } = session.beforeRequest[0]!;
    expect(filter).toBeUndefined();
    const decide = (url: string) => {
      const callback = vi.fn();
      listener({ url, method: 'GET', resourceType: 'script' }, callback);
      expect(callback).toHaveBeenCalledOnce();
      return callback.mock.calls[0]![0] as { cancel: boolean };
    };
    expect(decide('https://example.com/a.js')).toEqual({ cancel: true });
    expect(decide('http://localhost/a.js')).toEqual({ cancel: true });
    expect(decide('ws://localhost/')).toEqual({ cancel: true });
    expect(decide('file:///etc/passwd')).toEqual({ cancel: true });
    expect(decide('devtools://devtools/x')).toEqual({ cancel: true });
    expect(decide('app://workbench/assets/index.js')).toEqual({ cancel: false });
  });

  it('devtools: passes the filter only in development', () => {
    const session = new FakeSession();
    hardenSession(session as never, { allowDevtools: true });
    const callback = vi.fn();
    session.beforeRequest[0]!.listener({ url: 'devtools://devtools/bundled/x.js' }, callback);
    expect(callback).toHaveBeenCalledWith({ cancel: false });
  });

  it('onHeadersReceived puts the CSP on every response', () => {
    const session = new FakeSession();
    hardenSession(session as never);
    expect(session.headersReceived).toHaveLength(1);
    expect(session.headersReceived[0]!.filter).toBeUndefined();
    const callback = vi.fn();
    session.headersReceived[0]!.listener(
      { url: 'app://workbench/index.html', responseHeaders: { 'Content-Type': ['text/html'], 'content-security-policy': ["default-src * 'unsafe-inline'"] } },
      callback,
    );
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [EXPECTED_CSP] } });
  });
});

describe('hardenWebContents', () => {
  it('prevents navigation, redirects and webviews, and denies window.open', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents as never);
    expect(contents.fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.fire('will-navigate', 'app://workbench/index.html')).toBe(true);
    expect(contents.fire('will-frame-navigate')).toBe(true);
    expect(contents.fire('will-redirect', 'https://example.com/')).toBe(true);
    expect(contents.fire('will-attach-webview', {}, { src: 'https://example.com/' })).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'app://workbench/index.html' })).toEqual({ action: 'deny' });
  });

  it('web-contents-created guards every webContents Electron makes', () => {
    installWebContentsGuards(fake.app as never);
    const other = new FakeWebContents();
    fake.app.emit('web-contents-created', new FakeEvent(), other);
    expect(other.fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(other.fire('will-attach-webview', {}, {})).toBe(true);
    expect(other.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });
});
