/** The open workspace, its overview (table counts, import history) and the recent list. */
import { ElMessage } from 'element-plus';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RecentWorkspace, WorkspaceInfo, WorkspaceSummary } from '../../../shared/api';
import { WorkbenchError } from '../../../shared/workbench-api';
import { remindBackupIfDue } from '../features/security/backup-reminder';
import { i18n } from '../i18n';
import { call, errorCode, errorMessage } from '../services/workbench';
import { usePassphrasePrompt } from './passphrase-prompt';
import { useSecurityStore } from './security';
import { useSettingsStore } from './settings';

const fileNameOf = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** What `open` and `create` reject with when the analyst closes the passphrase dialog. */
function cancelledByUser(): WorkbenchError {
  return new WorkbenchError({ code: 'cancelled', message: i18n.global.t('passphrase.cancel') });
}

export const useWorkspaceStore = defineStore('workspace', () => {
  const current = ref<WorkspaceSummary | null>(null);
  const info = ref<WorkspaceInfo | null>(null);
  const recent = ref<RecentWorkspace[]>([]);
  /** Bumped on every open, close and import, so screens know to reload. */
  const revision = ref(0);
  const isOpen = computed(() => current.value !== null);

  async function refresh(): Promise<void> {
    current.value = await call('workspace.current', {}, { silent: true }).catch(() => null);
    if (current.value) await afterOpen();
    // The menu opened an encrypted workspace and reloaded the page for us to ask its passphrase.
    const pending = await call('app.pendingUnlock', {}, { silent: true }).catch(() => null);
    if (pending) await open(pending.path).catch(() => undefined);
  }

  async function loadInfo(): Promise<void> {
    if (!current.value) {
      info.value = null;
      return;
    }
    info.value = await call('workspace.info', {});
    const customers = info.value.tables.find((t) => t.table === 'customers');
    if (customers && current.value.customers !== customers.rows) current.value = { ...current.value, customers: customers.rows };
  }

  async function loadRecent(): Promise<void> {
    recent.value = await call('app.recentWorkspaces', {}, { silent: true }).catch(() => []);
  }

  async function afterOpen(): Promise<void> {
    revision.value += 1;
    const security = useSecurityStore();
    await Promise.all([useSettingsStore().load(), loadInfo().catch(() => undefined), loadRecent(), security.loadStatus()]);
    if (current.value) remindBackupIfDue(current.value.path, security.status);
  }

  /**
   * Creates a workspace; encrypted (a passphrase is asked) when the analyst chose 新建加密工作区 or this
   * computer's policy requires it.
   */
  async function create(path: string, options: { encrypted?: boolean } = {}): Promise<WorkspaceSummary> {
    const required = (await useSecurityStore().loadPolicy()).requireEncryption;
    let passphrase: string | undefined;
    if (required || options.encrypted) {
      const answer = await usePassphrasePrompt().ask({ mode: 'create', name: fileNameOf(path), required });
      if (!answer?.passphrase) throw cancelledByUser();
      passphrase = answer.passphrase;
    }
    current.value = await call('workspace.create', { path, ...(passphrase ? { passphrase } : {}) });
    await afterOpen();
    return current.value;
  }

  /** Opens a workspace; an encrypted one asks for its passphrase until it is right or the analyst cancels. */
  async function open(path: string, known?: string): Promise<WorkspaceSummary> {
    let passphrase = known;
    let error: string | undefined;
    for (;;) {
      try {
        current.value = await call('workspace.open', { path, ...(passphrase ? { passphrase } : {}) }, { silent: true });
        break;
      } catch (failure) {
        const code = errorCode(failure);
        if (code !== 'passphrase_required' && code !== 'wrong_passphrase') {
          ElMessage.error({ message: errorMessage(failure), duration: 6000, showClose: true, grouping: true });
          throw failure;
        }
        error = code === 'wrong_passphrase' ? errorMessage(failure) : undefined;
      }
      const answer = await usePassphrasePrompt().ask({ mode: 'unlock', name: fileNameOf(path), ...(error ? { error } : {}) });
      if (!answer?.passphrase) throw cancelledByUser();
      passphrase = answer.passphrase;
    }
    await afterOpen();
    return current.value;
  }

  async function close(): Promise<void> {
    await call('workspace.close', {});
    current.value = null;
    info.value = null;
    revision.value += 1;
    useSettingsStore().clear();
    useSecurityStore().clear();
  }

  /** After data changed (an import): reload the overview and tell screens. */
  async function dataChanged(): Promise<void> {
    revision.value += 1;
    await loadInfo().catch(() => undefined);
  }

  return { current, info, recent, revision, isOpen, refresh, loadInfo, loadRecent, create, open, close, dataChanged };
});
