/**
 * The customer analysis of the open workspace (features, RFM, value tiers, lifecycle, system tags): the
 * latest run's overview, the months a run or a migration can be taken at, and running a new analysis as
 * a job. Tiers, RFM, tags and segments all start from here.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AnalysisOverview, AnalysisSummary } from '../../../shared/analytics';
import { call, errorMessage } from '../services/workbench';
import { useJobsStore } from './jobs';
import { useRuleFieldsStore } from './rule-fields';
import { useWorkspaceStore } from './workspace';

export const useAnalysisStore = defineStore('analysis', () => {
  const overview = ref<AnalysisOverview | null>(null);
  const months = ref<string[]>([]);
  const lastSummary = ref<AnalysisSummary | null>(null);
  const loading = ref(false);
  const running = ref(false);
  /** Why the overview could not be read; the screens say so instead of showing nothing. */
  const error = ref<string | null>(null);
  const revision = ref(-1);

  const hasRun = computed(() => overview.value !== null);
  const totalCustomers = computed(() => overview.value?.tiers.reduce((n, t) => n + t.customers, 0) ?? 0);
  const totalAum = computed(() => overview.value?.tiers.reduce((n, t) => n + t.aum, 0) ?? 0);

  async function load(force = false): Promise<void> {
    const workspace = useWorkspaceStore();
    if (!workspace.isOpen) {
      overview.value = null;
      months.value = [];
      return;
    }
    if (!force && revision.value === workspace.revision) return;
    revision.value = workspace.revision;
    loading.value = true;
    try {
      const [next, list] = await Promise.all([call('analysis.overview', {}, { silent: true }), call('analysis.months', {}, { silent: true })]);
      overview.value = next;
      months.value = [...list].sort();
      error.value = null;
    } catch (e) {
      overview.value = null;
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  /** Runs the customer analysis as of a month (the last complete one when omitted), then reloads. */
  async function run(asOf?: string): Promise<AnalysisSummary> {
    running.value = true;
    try {
      const summary = await useJobsStore().run('analysis.run', asOf ? { asOf } : {});
      lastSummary.value = summary;
      // New features, scores and tags: every screen and the rule fields reload.
      await useWorkspaceStore().dataChanged();
      await Promise.all([load(true), useRuleFieldsStore().load(true)]);
      return summary;
    } finally {
      running.value = false;
    }
  }

  return { overview, months, lastSummary, loading, running, error, hasRun, totalCustomers, totalAum, load, run };
});
