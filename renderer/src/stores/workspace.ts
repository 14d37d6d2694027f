/** The open workspace, its overview (table counts, import history) and the recent list. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RecentWorkspace, WorkspaceInfo, WorkspaceSummary } from '../../../shared/api';
import { call } from '../services/workbench';
import { useSettingsStore } from './settings';

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
    await Promise.all([useSettingsStore().load(), loadInfo().catch(() => undefined), loadRecent()]);
  }

  async function create(path: string): Promise<WorkspaceSummary> {
    current.value = await call('workspace.create', { path });
    await afterOpen();
    return current.value;
  }

  async function open(path: string): Promise<WorkspaceSummary> {
    current.value = await call('workspace.open', { path });
    await afterOpen();
    return current.value;
  }

  async function close(): Promise<void> {
    await call('workspace.close', {});
    current.value = null;
    info.value = null;
    revision.value += 1;
    useSettingsStore().clear();
  }

  /** After data changed (an import): reload the overview and tell screens. */
  async function dataChanged(): Promise<void> {
    revision.value += 1;
    await loadInfo().catch(() => undefined);
  }

  return { current, info, recent, revision, isOpen, refresh, loadInfo, loadRecent, create, open, close, dataChanged };
});
