/**
 * The churn model of the open workspace: the current model card, the models trained before, the counts
 * per risk band, and training and scoring as jobs (the forest trains in the job worker with progress per
 * tree and can be cancelled).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RequestOf } from '../../../shared/api';
import type { ChurnBand, ChurnScoreSummary, ModelCard } from '../../../shared/analytics';
import { CHURN_BANDS } from '../../../shared/analytics';
import { call, errorMessage } from '../services/workbench';
import { useJobsStore } from './jobs';
import { useRuleFieldsStore } from './rule-fields';
import { useWorkspaceStore } from './workspace';

export const useChurnStore = defineStore('churn', () => {
  const model = ref<ModelCard | null>(null);
  const models = ref<ModelCard[]>([]);
  /** Customers per risk band in the latest scoring, from the risk list totals. */
  const bandCounts = ref<Record<ChurnBand, number> | null>(null);
  /** The result of the scoring this session ran: the only place the AUM at risk is reported. */
  const lastScore = ref<ChurnScoreSummary | null>(null);
  const loading = ref(false);
  const training = ref(false);
  const scoring = ref(false);
  const error = ref<string | null>(null);
  const revision = ref(-1);

  const hasModel = computed(() => model.value !== null);
  const scored = computed(() => bandCounts.value !== null && CHURN_BANDS.some((b) => (bandCounts.value?.[b] ?? 0) > 0));

  async function loadBandCounts(): Promise<void> {
    try {
      const totals = await Promise.all(
        CHURN_BANDS.map((band) => call('churn.riskList', { filter: { field: 'churn_band', op: '=', value: band }, limit: 1 }, { silent: true }).then((r) => r.total)),
      );
      bandCounts.value = Object.fromEntries(CHURN_BANDS.map((b, i) => [b, totals[i] ?? 0])) as Record<ChurnBand, number>;
    } catch {
      // No scores yet (or no score fields): the screen says the model has not scored.
      bandCounts.value = null;
    }
  }

  async function load(force = false): Promise<void> {
    const workspace = useWorkspaceStore();
    if (!workspace.isOpen) {
      model.value = null;
      models.value = [];
      bandCounts.value = null;
      return;
    }
    if (!force && revision.value === workspace.revision) return;
    revision.value = workspace.revision;
    loading.value = true;
    try {
      const [list, current] = await Promise.all([call('churn.models', {}, { silent: true }), call('churn.model', {}, { silent: true })]);
      models.value = list;
      model.value = current;
      error.value = null;
      if (current) await loadBandCounts();
      else bandCounts.value = null;
    } catch (e) {
      model.value = null;
      models.value = [];
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  async function show(modelId: number): Promise<void> {
    const card = await call('churn.model', { modelId });
    if (card) model.value = card;
  }

  async function score(modelId?: number): Promise<ChurnScoreSummary> {
    scoring.value = true;
    try {
      const summary = await useJobsStore().run('churn.score', modelId ? { modelId } : {});
      lastScore.value = summary;
      return summary;
    } finally {
      scoring.value = false;
    }
  }

  /** Trains a model, then scores every customer with it, then reloads the card and the bands. */
  async function train(request: RequestOf<'churn.train'>): Promise<ModelCard> {
    training.value = true;
    try {
      const card = await useJobsStore().run('churn.train', request);
      model.value = card;
      await score(card.modelId);
      await useWorkspaceStore().dataChanged();
      await Promise.all([load(true), useRuleFieldsStore().load(true)]);
      return card;
    } finally {
      training.value = false;
    }
  }

  return { model, models, bandCounts, lastScore, loading, training, scoring, error, hasModel, scored, load, show, score, train, loadBandCounts };
});
