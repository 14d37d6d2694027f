/**
 * The desktop side of workspace security (issue #15): this computer's policy (new workspaces must be
 * encrypted), the grants that let the engine touch the files the user chose, and the hand-over of a
 * workspace the menu could not open without its passphrase (Electron has no native text prompt, so the
 * page asks: it reads `app.pendingUnlock` when it loads).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ipcMain, type BrowserWindow } from 'electron';
import type { Envelope } from '../../shared/api';
import type { SecurityPolicy } from '../../shared/security';
import type { EngineLike } from './engine';
import { isTrustedSender } from './ipc';

/** Grants kinds as the engine takes them (electron/engine/security/path-grants.ts). */
export type GrantKind = 'read' | 'write' | 'folder';

/** A JSON file in the user-data folder; IT can deploy it with requireEncryption set. */
export class SecurityPolicyStore {
  private policy: SecurityPolicy;

  constructor(private readonly file: string) {
    this.policy = this.load();
  }

  get(): SecurityPolicy {
    return { ...this.policy };
  }

  set(policy: SecurityPolicy): SecurityPolicy {
    this.policy = { requireEncryption: policy.requireEncryption === true };
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ version: 1, ...this.policy }, null, 2)}\n`, 'utf8');
    renameSync(temporary, this.file);
    return this.get();
  }

  private load(): SecurityPolicy {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<SecurityPolicy>;
      return { requireEncryption: parsed.requireEncryption === true };
    } catch {
      return { requireEncryption: false };
    }
  }
}

/** One workspace waiting for its passphrase; taken once by the page. */
export class PendingUnlock {
  private path: string | null = null;

  set(path: string): void {
    this.path = path;
  }

  take(): string | null {
    const path = this.path;
    this.path = null;
    return path;
  }
}

/** Grants a path on the engine when it supports grants (the fakes of tests may not). */
export function grant(engine: Pick<EngineLike, 'grantPath'>, path: string | null | undefined, kind: GrantKind): void {
  if (path) engine.grantPath?.(path, kind);
}

export interface SecurityAppDeps {
  engine: Pick<EngineLike, 'setPolicy'>;
  policy: SecurityPolicyStore;
  pendingUnlock: PendingUnlock;
}

const ok = <T>(data: T): Envelope<T> => ({ ok: true, data });

export function createSecurityAppHandlers(deps: SecurityAppDeps) {
  return {
    async 'app.securityPolicy'() {
      return ok(deps.policy.get());
    },
    async 'app.setSecurityPolicy'(request: SecurityPolicy) {
      const policy = deps.policy.set(request);
      deps.engine.setPolicy?.(policy);
      return ok(policy);
    },
    async 'app.pendingUnlock'() {
      const path = deps.pendingUnlock.take();
      return ok(path ? { path } : null);
    },
  };
}

/** See electron/preload/transport.ts: the file the user dropped on the window. */
export const DROPPED_FILE_CHANNEL = 'bpw:grant-dropped-file';

/**
 * Grants files dropped on the window. The preload sends the path it read from the dropped File itself
 * (webUtils), and refuses to forward this channel from the page, so the page cannot grant a path it names.
 */
export function registerDroppedFileGrants(engine: Pick<EngineLike, 'grantPath'>, getWindow: () => BrowserWindow | null): () => void {
  ipcMain.handle(DROPPED_FILE_CHANNEL, (event, path: unknown) => {
    if (!isTrustedSender(event, getWindow()) || typeof path !== 'string' || path.length === 0 || path.length > 4096) return false;
    grant(engine, path, 'read');
    return true;
  });
  return () => ipcMain.removeHandler(DROPPED_FILE_CHANNEL);
}
