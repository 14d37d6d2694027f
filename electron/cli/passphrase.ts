/**
 * The passphrases of a CLI run (issue #15 §2): from `--passphrase-file F` or the BPW_PASSPHRASE environment
 * variable, never from an argument (it would sit in the shell history and the process list). Read once
 * when the command line is parsed; every command that opens a workspace uses it through openWorkspace in
 * workspace-commands.ts. Kept in memory only and never printed.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { EngineError } from '../engine/errors';

export interface CliSecrets {
  /** The workspace's passphrase (or the new one for `workspace encrypt` and a new encrypted workspace). */
  passphrase?: string | undefined;
  /** `workspace rekey`: the passphrase to change to. */
  newPassphrase?: string | undefined;
  /** `workspace restore`: the backup's, when it differs from the workspace's. */
  backupPassphrase?: string | undefined;
}

let secrets: CliSecrets = {};

const MAX_FILE_BYTES = 4096;

/** The first line of a passphrase file, without its line break. */
function readPassphraseFile(option: string, path: string): string {
  const absolute = resolve(path);
  let size: number;
  try {
    size = statSync(absolute).size;
  } catch {
    throw new EngineError('bad_input', `找不到口令文件“${path}”（--${option}），请检查路径`);
  }
  if (size > MAX_FILE_BYTES) throw new EngineError('bad_input', `口令文件“${path}”（--${option}）过大，口令文件只应包含一行口令`);
  const text = readFileSync(absolute, 'utf8').replace(/^\uFEFF/, '');
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') throw new EngineError('bad_input', `口令文件“${path}”（--${option}）的第一行是空的，请写入口令`);
  return line;
}

function pick(values: Record<string, unknown>, option: string, env: string | undefined): string | undefined {
  const file = values[option];
  if (typeof file === 'string') return readPassphraseFile(option, file);
  return env && env !== '' ? env : undefined;
}

export function configureCliSecrets(values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): void {
  secrets = {
    passphrase: pick(values, 'passphrase-file', env.BPW_PASSPHRASE),
    newPassphrase: pick(values, 'new-passphrase-file', env.BPW_NEW_PASSPHRASE),
    backupPassphrase: pick(values, 'backup-passphrase-file', env.BPW_BACKUP_PASSPHRASE),
  };
}

export function cliSecrets(): CliSecrets {
  return secrets;
}
