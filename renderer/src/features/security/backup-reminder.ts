/**
 * The backup reminder (issue #15 §3): when a workspace opens and its last backup is older than
 * settings.security.backupReminderDays, one notification says so, once per workspace and session; the
 * 工作区 screen keeps showing it until a backup is made.
 */
import { ElNotification } from 'element-plus';
import type { SecurityStatus } from '../../../../shared/security';
import { i18n } from '../../i18n';

const reminded = new Set<string>();

export function backupReminderText(status: SecurityStatus): string {
  const t = i18n.global.t;
  return status.lastBackup ? t('security.backupDue', { days: status.daysSinceBackup ?? 0, every: status.reminderDays }) : t('security.backupDueNever');
}

export function remindBackupIfDue(path: string, status: SecurityStatus | null): void {
  if (!status?.backupDue || reminded.has(path)) return;
  reminded.add(path);
  ElNotification({ type: 'warning', title: i18n.global.t('security.backupDueTitle'), message: backupReminderText(status), duration: 10_000 });
}
