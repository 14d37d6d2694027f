/**
 * Exports are written to a temporary file next to the target and renamed into place only when complete,
 * so a crash or a cancellation never leaves a half-written file under the name the analyst chose. The
 * rename is atomic on one file system, which is why the temporary file sits in the same folder.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { EngineError } from '../errors';
import { assertPlainAbsolutePath } from '../security/path-grants';

export interface AtomicTarget {
  readonly path: string;
  readonly temp: string;
  /** Whether a file already exists at `path` (the save dialog asked the user to replace it). */
  readonly replaces: boolean;
}

export function prepareTarget(path: string, format: 'xlsx' | 'csv' | 'pdf' | 'pptx'): AtomicTarget {
  // A relative path would land wherever the process happens to run; `..` is never what a dialog returns.
  assertPlainAbsolutePath(path);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new EngineError('bad_input', `找不到文件夹“${dir}”，请重新选择保存位置`);
  }
  if (extname(path).toLowerCase() !== `.${format}`) {
    throw new EngineError('bad_input', `文件名“${basename(path)}”的扩展名与导出格式不符，请使用 .${format} 结尾的文件名`);
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new EngineError('bad_input', `“${basename(path)}”是一个文件夹，请换一个文件名`);
  }
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.part`);
  return { path, temp, replaces: existsSync(path) };
}

export function commitTarget(target: AtomicTarget): void {
  renameSync(target.temp, target.path);
}

export function discardTemp(target: AtomicTarget): void {
  rmSync(target.temp, { force: true });
}
