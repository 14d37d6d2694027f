/**
 * The recently opened workspaces: a small JSON file in the user-data folder, newest first, at most 10.
 * A workspace is remembered when workspace.open or workspace.create succeeds (through IPC or the menu).
 * Only paths and times are stored; nothing of a workspace's content.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { RecentWorkspace } from '../../shared/api';

export const MAX_RECENT_WORKSPACES = 10;

interface StoredEntry {
  path: string;
  openedAt: string;
}

interface StoredFile {
  version: 1;
  workspaces: StoredEntry[];
}

function isStoredEntry(value: unknown): value is StoredEntry {
  if (!value || typeof value !== 'object') return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.path === 'string' && entry.path.length > 0 && typeof entry.openedAt === 'string';
}

export class RecentWorkspaces {
  private entries: StoredEntry[];

  constructor(
    private readonly file: string,
    private readonly options: { max?: number; now?: () => Date; platform?: NodeJS.Platform } = {},
  ) {
    this.entries = this.load();
  }

  /** Newest first, with whether each file still exists. */
  list(): RecentWorkspace[] {
    return this.entries.map((entry) => ({ path: entry.path, openedAt: entry.openedAt, exists: existsSync(entry.path) }));
  }

  /** Moves `path` to the top (adding it when new) and saves. Relative paths are ignored. */
  remember(path: string): RecentWorkspace[] {
    if (!isAbsolute(path)) return this.list();
    const absolute = resolve(path);
    const key = this.key(absolute);
    const openedAt = (this.options.now ?? (() => new Date()))().toISOString();
    this.entries = [{ path: absolute, openedAt }, ...this.entries.filter((entry) => this.key(entry.path) !== key)].slice(0, this.max);
    this.save();
    return this.list();
  }

  forget(path: string): void {
    const key = this.key(resolve(path));
    this.entries = this.entries.filter((entry) => this.key(entry.path) !== key);
    this.save();
  }

  clear(): void {
    this.entries = [];
    this.save();
  }

  private get max(): number {
    return this.options.max ?? MAX_RECENT_WORKSPACES;
  }

  /** Windows and macOS file systems are case-insensitive by default: one entry per file there. */
  private key(path: string): string {
    const platform = this.options.platform ?? process.platform;
    return platform === 'win32' || platform === 'darwin' ? path.toLowerCase() : path;
  }

  private load(): StoredEntry[] {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<StoredFile>;
      const entries = Array.isArray(parsed.workspaces) ? parsed.workspaces.filter(isStoredEntry) : [];
      return entries.filter((entry) => isAbsolute(entry.path)).slice(0, this.max);
    } catch {
      // Missing or damaged: start empty; the next save writes a good file.
      return [];
    }
  }

  /** Writes a temporary file and renames it over the old one, so a crash never leaves half a file. */
  private save(): void {
    const data: StoredFile = { version: 1, workspaces: this.entries };
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`, 'utf8');
    renameSync(temporary, this.file);
  }
}
