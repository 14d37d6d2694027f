/**
 * Community marketing of the open workspace: the latest community snapshot's ranking, the grid and manager
 * roll-ups, the activities of the planning month, and the jobs that take a snapshot and plan a month.
 * Screens load through `load()`, which reads again when the workspace changed.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ActivityInput } from '../../../../shared/community';
import type { ActivityPlan, CommunityActivity, CommunityRanking, CommunityRollupRow } from '../../../../shared/community-types';
import { i18n } from '../../i18n';
import { call, errorMessage } from '../../services/workbench';
import { useJobsStore } from '../../stores/jobs';
import { useWorkspaceStore } from '../../stores/workspace';
import { nextMonth } from './months';

export const useCommunityStore = defineStore('community', () => {
  const ranking = ref<CommunityRanking | null>(null);
  const grids = ref<CommunityRollupRow[]>([]);
  const managers = ref<CommunityRollupRow[]>([]);
  const loading = ref(false);
  const analyzing = ref(false);
  const error = ref<string | null>(null);
  const revision = ref(-1);
  /** The month the plan tab shows: the month after the snapshot unless the analyst picked another. */
  const planMonth = ref<string | null>(null);
  const activities = ref<CommunityActivity[]>([]);
  /** A plan generated and not saved yet, shown for review. */
  const draft = ref<ActivityPlan | null>(null);
  /** Communities ticked in the table for the comparison (two to four). */
  const compared = ref<string[]>([]);

  const run = computed(() => ranking.value?.run ?? null);
  const communities = computed(() => ranking.value?.communities ?? []);
  const month = computed(() => planMonth.value ?? (run.value ? nextMonth(run.value.month) : null));

  async function load(force = false): Promise<void> {
    const workspace = useWorkspaceStore();
    if (!workspace.isOpen) {
      ranking.value = null;
      grids.value = [];
      managers.value = [];
      activities.value = [];
      return;
    }
    if (!force && revision.value === workspace.revision) return;
    revision.value = workspace.revision;
    loading.value = true;
    try {
      ranking.value = await call('community.rank', {}, { silent: true });
      error.value = null;
      if (ranking.value) await Promise.all([loadRollups(), loadActivities()]);
    } catch (e) {
      ranking.value = null;
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  async function loadRollups(): Promise<void> {
    const [g, m] = await Promise.all([call('community.rollup', { scope: 'grid' }), call('community.rollup', { scope: 'manager' })]);
    grids.value = g;
    managers.value = m;
  }

  async function loadActivities(): Promise<void> {
    activities.value = month.value ? await call('community.activities', { month: month.value }) : [];
  }

  async function setMonth(value: string): Promise<void> {
    planMonth.value = value;
    draft.value = null;
    await loadActivities();
  }

  /** Takes a new snapshot (a job with progress), then reads everything again. */
  async function analyze(): Promise<void> {
    analyzing.value = true;
    try {
      await useJobsStore().run('community.analyze', {}, { title: i18n.global.t('community.jobs.analyze') });
      await load(true);
    } finally {
      analyzing.value = false;
    }
  }

  async function plan(save: boolean): Promise<ActivityPlan | null> {
    if (!month.value) return null;
    const result = await useJobsStore().run('community.plan', { month: month.value, save }, { title: i18n.global.t('community.jobs.plan') });
    draft.value = save ? null : result;
    if (save) await Promise.all([loadActivities(), loadRollups()]);
    return result;
  }

  async function saveActivity(input: ActivityInput): Promise<CommunityActivity> {
    const saved = await call('community.saveActivity', input);
    await Promise.all([loadActivities(), loadRollups()]);
    return saved;
  }

  async function deleteActivity(activityId: number): Promise<void> {
    await call('community.deleteActivity', { activityId });
    await Promise.all([loadActivities(), loadRollups()]);
  }

  return { ranking, run, communities, compared, grids, managers, loading, analyzing, error, month, activities, draft, load, analyze, plan, setMonth, saveActivity, deleteActivity, loadActivities };
});
