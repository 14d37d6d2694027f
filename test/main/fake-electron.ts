/**
 * A stand-in for the `electron` module, for tests of electron/main and electron/preload on machines
 * without the Electron binary. Every API the shell touches records what it was given, so tests assert
 * registrations (IPC handlers, protocol handlers, webRequest listeners, permission handlers, window
 * options) instead of behaviour Electron would provide.
 *
 * Use: vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
 * then import `fake` from this module in the test to read and reset the recorded state.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Listener = (...args: any[]) => unknown;

export class FakeEvent {
  defaultPrevented = false;
  preventDefault = vi.fn(() => {
    this.defaultPrevented = true;
  });
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  url = '';
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  readonly sent: { channel: string; payload: unknown }[] = [];
  reload = vi.fn();

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.windowOpenHandler = handler;
  }
  /** Emits an event the way Electron does (event object first) and says whether it was prevented. */
  fire(name: string, ...args: unknown[]): boolean {
    const event = new FakeEvent();
    this.emit(name, event, ...args);
    return event.defaultPrevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  destroyed = false;
  minimized = false;
  loadURL = vi.fn(async (url: string) => {
    this.webContents.url = url;
  });
  show = vi.fn();
  focus = vi.fn();
  restore = vi.fn(() => {
    this.minimized = false;
  });

  constructor(readonly options: Record<string, any>) {
    super();
    FakeBrowserWindow.instances.push(this);
    fake.app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.show.mock.calls.length > 0;
  }
}

export class FakeSession {
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  devicePermissionHandler: Listener | null = null;
  spellCheckerEnabled = true;
  readonly beforeRequest: { filter: unknown; listener: Listener }[] = [];
  readonly headersReceived: { filter: unknown; listener: Listener }[] = [];
  readonly webRequest = {
    onBeforeRequest: vi.fn((...args: unknown[]) => {
      this.beforeRequest.push({ filter: args.length > 1 ? args[0] : undefined, listener: args[args.length - 1] as Listener });
    }),
    onHeadersReceived: vi.fn((...args: unknown[]) => {
      this.headersReceived.push({ filter: args.length > 1 ? args[0] : undefined, listener: args[args.length - 1] as Listener });
    }),
  };
  setPermissionRequestHandler(handler: Listener): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Listener): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Listener): void {
    this.devicePermissionHandler = handler;
  }
  setSpellCheckerEnabled(enabled: boolean): void {
    this.spellCheckerEnabled = enabled;
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  appPath = '/app';
  userData = '/user-data';
  lock = true;
  private readyResolve: (() => void) | null = null;
  private readyPromise: Promise<void> = this.newReady();

  enableSandbox = vi.fn();
  requestSingleInstanceLock = vi.fn(() => this.lock);
  quit = vi.fn();
  exit = vi.fn();

  private newReady(): Promise<void> {
    return new Promise((resolve) => {
      this.readyResolve = resolve;
    });
  }
  whenReady = vi.fn(() => this.readyPromise);
  /** Lets the test decide when `ready` happens. */
  makeReady(): void {
    this.readyResolve?.();
  }
  reset(): void {
    this.removeAllListeners();
    this.isPackaged = false;
    this.appPath = '/app';
    this.userData = '/user-data';
    this.lock = true;
    this.readyPromise = this.newReady();
    for (const mock of [this.enableSandbox, this.requestSingleInstanceLock, this.quit, this.exit, this.whenReady]) mock.mockClear();
  }
  getAppPath(): string {
    return this.appPath;
  }
  getPath(name: string): string {
    if (name === 'userData') return this.userData;
    return `/${name}`;
  }
  getName(): string {
    return '支行客户画像工作台';
  }
  getVersion(): string {
    return '0.1.0';
  }
}

function createFake() {
  return {
    app: new FakeApp(),
    session: { defaultSession: new FakeSession() },
    ipcMain: {
      handle: vi.fn(),
      handleOnce: vi.fn(),
      removeHandler: vi.fn(),
      on: vi.fn(),
      once: vi.fn(),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: vi.fn(),
    },
    dialog: {
      showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] as string[] })),
      showSaveDialog: vi.fn(async () => ({ canceled: true, filePath: '' })),
      showMessageBox: vi.fn(async () => ({ response: 0, checkboxChecked: false })),
      showErrorBox: vi.fn(),
    },
    shell: { showItemInFolder: vi.fn(), openExternal: vi.fn(), openPath: vi.fn() },
    Menu: {
      buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
      setApplicationMenu: vi.fn(),
    },
    crashReporter: { start: vi.fn() },
    autoUpdater: { setFeedURL: vi.fn(), checkForUpdates: vi.fn() },
    contextBridge: { exposeInMainWorld: vi.fn() },
    ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn(), send: vi.fn() },
    webUtils: { getPathForFile: vi.fn(() => '') },
  };
}

export const fake = createFake();

/** Clears every recording; the same objects stay in place (the mocked module holds them). */
export function resetFake(): void {
  fake.app.reset();
  Object.assign(fake.session, { defaultSession: new FakeSession() });
  FakeBrowserWindow.instances = [];
  const fresh = createFake();
  for (const key of ['ipcMain', 'protocol', 'dialog', 'shell', 'Menu', 'crashReporter', 'autoUpdater', 'contextBridge', 'ipcRenderer', 'webUtils'] as const) {
    Object.assign(fake[key], fresh[key]);
  }
}

/** The module object vi.mock('electron') returns. Getters, so resets are seen by already-imported code. */
export const electronModule = {
  get app() {
    return fake.app;
  },
  get session() {
    return fake.session;
  },
  get ipcMain() {
    return fake.ipcMain;
  },
  get protocol() {
    return fake.protocol;
  },
  get dialog() {
    return fake.dialog;
  },
  get shell() {
    return fake.shell;
  },
  get Menu() {
    return fake.Menu;
  },
  get crashReporter() {
    return fake.crashReporter;
  },
  get autoUpdater() {
    return fake.autoUpdater;
  },
  get contextBridge() {
    return fake.contextBridge;
  },
  get ipcRenderer() {
    return fake.ipcRenderer;
  },
  get webUtils() {
    return fake.webUtils;
  },
  BrowserWindow: FakeBrowserWindow,
};
