/**
 * Hardening (issue #15): encrypted workspaces, backup and restore, the audit chain. The channels, result
 * shapes and settings of these workspace-level services. The engine side lives in electron/engine/security/,
 * the CLI in electron/cli/security-commands.ts.
 */
import { z } from 'zod';
import type { WorkspaceSummary } from './api';
import { appChannel, hostChannel, jobChannel, queryChannel } from './channel-def';

export const securitySettingsSchema = z.strictObject({
  /** 工作区页面提醒备份：距上次备份超过这么多天。0 表示不提醒。 */
  backupReminderDays: z.number().int().min(0).max(365).default(7),
});

/** Shortest passphrase for a new key; a bank's own password policy may ask for more. */
export const MIN_PASSPHRASE_LENGTH = 8;

/** The passphrase of a workspace being opened: never stored, never logged, never echoed in an error. */
export const passphraseSchema = z.string().min(1, '请输入口令').max(1024, '口令最多 1,024 个字符');
/** A new passphrase: long enough to be worth having. */
export const newPassphraseSchema = z.string().min(MIN_PASSPHRASE_LENGTH, `口令至少 ${MIN_PASSPHRASE_LENGTH} 个字符`).max(1024, '口令最多 1,024 个字符');

/**
 * A Windows network path: \\server\share\… or //server/share/… (not the \\?\ and \\.\ device forms of a
 * local path). The engine uses one only when the user picked it in a dialog.
 */
export function isUncPath(path: string): boolean {
  return /^[\\/]{2}(?![?.][\\/])[^\\/]+[\\/]/.test(path);
}

const filePath = z.string().min(1, '请选择文件').max(4096);

export interface AuditBreak {
  id: number;
  at: string;
  action: string;
  /** 'edited': the row, or one before it, was changed, removed or inserted; 'missing_hash': written outside the app. */
  kind: 'edited' | 'missing_hash';
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  /** The last row's hash: noted elsewhere, it also reveals rows cut from the end later. */
  headHash: string | null;
  firstBreak: AuditBreak | null;
  /** Append-only triggers that are no longer in the workspace. */
  missingTriggers: string[];
}

export interface SecurityStatus {
  encrypted: boolean;
  lastBackup: { at: string; path: string; encrypted: boolean } | null;
  /** Days since the last backup (or since the workspace's first entry when never backed up). */
  daysSinceBackup: number | null;
  /** The reminder is due: older than settings.security.backupReminderDays (never when that is 0). */
  backupDue: boolean;
  reminderDays: number;
}

export interface BackupResult {
  path: string;
  bytes: number;
  sha256: string;
  encrypted: boolean;
  at: string;
  /** How the copy was taken: SQLite's online backup API, or VACUUM INTO for an encrypted workspace. */
  method: 'backup-api' | 'vacuum-into';
}

export type RestoreResult = WorkspaceSummary & { previousPath?: string };

export interface CopyResult {
  path: string;
  bytes: number;
  sha256: string;
}

/** A policy of this computer, outside any workspace (a bank sets it for every workspace created here). */
export interface SecurityPolicy {
  requireEncryption: boolean;
}

export const securityChannels = {
  'security.status': queryChannel<SecurityStatus>()(z.strictObject({})),
  'audit.actions': queryChannel<{ action: string; label: string }[]>()(z.strictObject({})),
  'audit.verify': jobChannel<AuditVerification>()(z.strictObject({})),
  /** A copy of the open workspace while it stays open; encrypted with the same key when it is encrypted. */
  'security.backup': jobChannel<BackupResult>()(z.strictObject({ path: filePath })),
  /** A plain (unencrypted) copy of the open encrypted workspace; the workspace itself stays encrypted. */
  'security.decryptCopy': jobChannel<CopyResult>()(z.strictObject({ path: filePath, purpose: z.string().trim().min(4, '请填写用途（至少 4 个字）').max(500) })),
  /** Encrypts the open workspace in place with a new passphrase. */
  'security.encrypt': hostChannel<WorkspaceSummary>()(z.strictObject({ passphrase: newPassphraseSchema })),
  /** Changes the passphrase of the open encrypted workspace; the current one must be given. */
  'security.rekey': hostChannel<WorkspaceSummary>()(z.strictObject({ passphrase: passphraseSchema, newPassphrase: newPassphraseSchema })),
  /**
   * Replaces a workspace file (`target`, the open workspace by default) with the backup at `path`, after
   * checking the backup's integrity and schema version, and opens it. The replaced file is kept beside it
   * (`previousPath`) rather than deleted. `passphrase` is the backup's, when it differs from the open one.
   */
  'security.restore': hostChannel<RestoreResult>()(z.strictObject({ path: filePath, target: filePath.optional(), passphrase: passphraseSchema.optional() })),
  /** This computer's security policy (main process). */
  'app.securityPolicy': appChannel<SecurityPolicy>()(z.strictObject({})),
  'app.setSecurityPolicy': appChannel<SecurityPolicy>()(z.strictObject({ requireEncryption: z.boolean() })),
  /** A workspace the menu asked to open that needs its passphrase: the page asks for it. Read once. */
  'app.pendingUnlock': appChannel<{ path: string } | null>()(z.strictObject({})),
} as const;
