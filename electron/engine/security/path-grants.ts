/**
 * Which files the engine may touch on a caller's word (issue #15 §1.10). `import.preview` used to read any
 * path it was given (`/etc/passwd`), so a compromised renderer could read the disk through the engine. With
 * grants, a request's path must be one the user chose: the main process grants what its open and save
 * dialogs return (and files dropped on the window), the CLI grants its own arguments. A folder chosen in a
 * dialog grants what lies inside it (an import recipe reads the files of its folder).
 *
 * Whatever the mode, a path must be absolute and free of `..` segments: a dialog never returns anything
 * else, and a relative path would resolve against whatever the process's working folder happens to be.
 * On Windows a network share (\\server\share) is refused unless the user picked exactly that path.
 */
import { isAbsolute, resolve, sep, win32 } from 'node:path';
import type { ChannelName } from '../../../shared/api';
import { isUncPath } from '../../../shared/security';
import { EngineError } from '../errors';

export type GrantKind = 'read' | 'write' | 'folder';

/** How each path-bearing field of a channel is used. */
interface PathField {
  key: string;
  /** Grants that allow this use. */
  accepts: readonly GrantKind[];
  /**
   * Also allowed: the same name with another of these extensions beside a granted write path. A report is
   * saved once through the dialog (周报.pdf) and its other formats are written next to it (周报.xlsx, 周报.pptx).
   */
  siblings?: readonly string[];
}

const READ: readonly GrantKind[] = ['read', 'write', 'folder'];
const WRITE: readonly GrantKind[] = ['write'];
const OPEN_WORKSPACE: readonly GrantKind[] = ['read', 'write'];
const REPORT_FORMATS: readonly string[] = ['.pdf', '.xlsx', '.pptx'];

export const PATH_FIELDS: Partial<Record<ChannelName, readonly PathField[]>> = {
  'workspace.create': [{ key: 'path', accepts: WRITE }],
  'workspace.open': [{ key: 'path', accepts: OPEN_WORKSPACE }],
  'import.preview': [{ key: 'file', accepts: READ }],
  'import.run': [{ key: 'file', accepts: READ }],
  'import.recipe': [{ key: 'dir', accepts: ['folder'] }],
  'demo.create': [{ key: 'path', accepts: WRITE }],
  'export.table': [{ key: 'path', accepts: WRITE }],
  'reports.export': ['pdf', 'xlsx', 'pptx'].map((key) => ({ key, accepts: WRITE, siblings: REPORT_FORMATS })),
  'security.backup': [{ key: 'path', accepts: WRITE }],
  'security.decryptCopy': [{ key: 'path', accepts: WRITE }],
  'security.restore': [
    { key: 'path', accepts: READ },
    { key: 'target', accepts: OPEN_WORKSPACE },
  ],
};

/**
 * Field names that hold a path in a channel this table does not list (a capability added later): they are
 * checked too, accepting any grant of exactly that path, so a new channel is never an open door.
 */
export const PATH_FIELD_NAME = /^(path|file|dir|folder|out|target|source)$|(Path|File|Dir|Folder)$/;

const isWindows = (platform: NodeJS.Platform) => platform === 'win32';

/** The absolute, `..`-free form every engine path must have; throws a user error otherwise. */
export function assertPlainAbsolutePath(path: string, platform: NodeJS.Platform = process.platform): void {
  const absolute = isWindows(platform) ? win32.isAbsolute(path) : isAbsolute(path);
  if (!absolute) throw new EngineError('path_not_allowed', `路径“${clipPath(path)}”不是完整路径，请通过“选择文件”对话框选择`);
  if (path.split(/[\\/]+/).includes('..')) throw new EngineError('path_not_allowed', `路径“${clipPath(path)}”含有“..”，请通过“选择文件”对话框选择`);
}

function clipPath(path: string): string {
  const chars = [...path];
  return chars.length > 120 ? `${chars.slice(0, 60).join('')}…${chars.slice(-40).join('')}` : path;
}

export class PathGrants {
  private readonly grants = new Map<string, Set<GrantKind>>();

  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  private key(path: string): string {
    const full = isWindows(this.platform) ? win32.resolve(path) : resolve(path);
    // Windows paths are case-insensitive; a trailing separator names the same folder.
    const trimmed = full.length > 1 && /[\\/]$/.test(full) ? full.slice(0, -1) : full;
    return isWindows(this.platform) ? trimmed.toLowerCase() : trimmed;
  }

  grant(path: string, kind: GrantKind): void {
    const key = this.key(path);
    const kinds = this.grants.get(key) ?? new Set<GrantKind>();
    kinds.add(kind);
    this.grants.set(key, kinds);
  }

  /** Whether `path` may be used in a way that `accepts` one of these grants. */
  allows(path: string, accepts: readonly GrantKind[]): boolean {
    const key = this.key(path);
    const exact = this.grants.get(key);
    if (exact && accepts.some((k) => exact.has(k))) return true;
    if (!accepts.includes('read') && !accepts.includes('folder')) return false;
    // Inside a granted folder, for reading only.
    const separator = isWindows(this.platform) ? '\\' : sep;
    for (const [granted, kinds] of this.grants) {
      if (kinds.has('folder') && key.startsWith(granted.endsWith(separator) ? granted : `${granted}${separator}`)) return true;
    }
    return false;
  }

  /** Whether `path` is a granted write path with its extension swapped for another of `extensions`. */
  private allowsSibling(path: string, extensions: readonly string[]): boolean {
    const key = this.key(path);
    const ext = extensions.find((e) => key.toLowerCase().endsWith(e));
    if (!ext) return false;
    const stem = key.slice(0, -ext.length);
    return extensions.some((other) => this.grants.get(`${stem}${other}`)?.has('write') === true);
  }

  /** Throws unless every path of the request is a plain absolute path the user granted. */
  check(channel: ChannelName, request: unknown): void {
    if (!request || typeof request !== 'object') return;
    const record = request as Record<string, unknown>;
    const fields: readonly PathField[] = PATH_FIELDS[channel] ?? Object.keys(record).filter((k) => PATH_FIELD_NAME.test(k)).map((key) => ({ key, accepts: READ }));
    for (const field of fields) {
      const value = record[field.key];
      if (typeof value !== 'string') continue;
      assertPlainAbsolutePath(value, this.platform);
      if (this.allows(value, field.accepts)) continue;
      if (field.siblings && this.allowsSibling(value, field.siblings)) continue;
      if (isWindows(this.platform) && isUncPath(value)) {
        throw new EngineError('path_not_allowed', `网络共享路径“${clipPath(value)}”只能通过“选择文件”对话框选择后使用`);
      }
      throw new EngineError('path_not_allowed', `未经选择的文件“${clipPath(value)}”不能使用，请通过“选择文件”对话框选择`);
    }
  }
}
