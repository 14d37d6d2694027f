/**
 * The churn model of the open workspace: the current model card, the models trained before, the latest
 * scoring at a glance (customers per 流失风险 band, customers already lost, AUM at risk), and training and
 * scoring as jobs (the forest trains in the job worker with progress per tree and can be cancelled).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RequestOf } from '../../../shared/api';
import type { ChurnBand, ChurnScoreSummary, ModelCard } from '../../../shared/analytics';
import type { ChurnOverview } from '../../../shared/churn';
import { call, errorMessage } from '../services/workbench';
import { useJobsStore } from './jobs';
import { useRuleFieldsStore } from './rule-fields';
import { useSettingsStore } from './settings';
import { useWorkspaceStore } from './workspace';

export const useChurnStore = defineStore('churn', () => {
  const model = ref<ModelCard | null>(null);
  const models = ref<ModelCard[]>([]);
  /** The latest scoring (churn.summary): null before the first scoring. */
  const overview = ref<ChurnOverview | null>(null);
  /** The result of the scoring this session ran. */
  const lastScore = ref<ChurnScoreSummary | null>(null);
  const loading = ref(false);
  const training = ref(false);
  const scoring = ref(false);
  const error = ref<string | null>(null);
  const revision = ref(-1);

  const hasModel = computed(() => model.value !== null);
  /** Customers per risk band in the latest scoring. */
  const bandCounts = computed<Record<ChurnBand, number> | null>(() => overview.value?.counts ?? null);
  const scored = computed(() => (overview.value?.scored ?? 0) > 0);

  async function loadOverview(): Promise<void> {
    try {
      overview.value = await call('churn.summary', {}, { silent: true });
    } catch {
      overview.value = null;
    }
  }

  async function load(force = false): Promise<void> {
    const workspace = useWorkspaceStore();
    if (!workspace.isOpen) {
      model.value = null;
      models.value = [];
      overview.value = null;
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
      if (current) await loadOverview();
      else overview.value = null;
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
      await loadOverview();
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

  /**
   * Makes `share` the 流失风险 高 threshold (settings.churn.highBand: the card's cut-off, the list's band and
   * the tag are this one number), then scores again so that the bands follow it.
   */
  async function setHighBand(share: number): Promise<void> {
    const settings = useSettingsStore();
    const current = settings.settings ?? (await call('settings.get', {}));
    await settings.save({ churn: { ...current.churn, highBand: share } });
    await score(model.value?.modelId);
    await useWorkspaceStore().dataChanged();
  }

  return { model, models, overview, bandCounts, lastScore, loading, training, scoring, error, hasModel, scored, load, show, score, train, setHighBand, loadOverview };
});
