/**
 * Product matching of the open workspace: the overview (model cards, held-out check, latest scoring with
 * its suitability audit, co-holding rules), and training, scoring and the audit as jobs of the job worker
 * with progress and cancel.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RequestOf } from '../../../../shared/api';
import type { MatchingOverview, MatchingScoringSummary, MatchingTrainingSummary, SuitabilityAudit } from '../../../../shared/matching';
import { i18n } from '../../i18n';
import { call, errorMessage } from '../../services/workbench';
import { useJobsStore } from '../../stores/jobs';
import { useWorkspaceStore } from '../../stores/workspace';

export const useMatchingStore = defineStore('matching', () => {
  const overview = ref<MatchingOverview | null>(null);
  const loading = ref(false);
  const busy = ref(false);
  const error = ref<string | null>(null);
  const revision = ref(-1);
  const t = i18n.global.t;

  async function load(force = false): Promise<void> {
    const workspace = useWorkspaceStore();
    if (!workspace.isOpen) {
      overview.value = null;
      return;
    }
    if (!force && revision.value === workspace.revision) return;
    revision.value = workspace.revision;
    loading.value = true;
    try {
      overview.value = await call('matching.overview', {}, { silent: true });
      error.value = null;
    } catch (e) {
      overview.value = null;
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  async function score(): Promise<MatchingScoringSummary> {
    busy.value = true;
    try {
      const summary = await useJobsStore().run('matching.score', {}, { title: t('matching.jobScore') });
      await useWorkspaceStore().dataChanged();
      await load(true);
      return summary;
    } finally {
      busy.value = false;
    }
  }

  /** Trains every family's model, then matches every customer with them. */
  async function train(request: RequestOf<'matching.train'>): Promise<{ training: MatchingTrainingSummary; scoring: MatchingScoringSummary }> {
    busy.value = true;
    try {
      const training = await useJobsStore().run('matching.train', request, { title: t('matching.jobTrain') });
      const scoring = await score();
      return { training, scoring };
    } finally {
      busy.value = false;
    }
  }

  async function audit(): Promise<SuitabilityAudit> {
    const result = await useJobsStore().run('matching.audit', {}, { title: t('matching.jobAudit') });
    await load(true);
    return result;
  }

  return { overview, loading, busy, error, load, train, score, audit };
});
