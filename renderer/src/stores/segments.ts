/**
 * K-means segmentation on the screen: the last clustering result and the names the analyst gave its
 * clusters, kept while moving between screens, until saved as segments.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RequestOf } from '../../../shared/api';
import type { SegmentationResult, SegmentInfo } from '../../../shared/analytics';
import { useJobsStore } from './jobs';
import { useRuleFieldsStore } from './rule-fields';
import { useWorkspaceStore } from './workspace';

export const useSegmentsStore = defineStore('segments', () => {
  const result = ref<SegmentationResult | null>(null);
  /** Names per cluster index, starting from the suggested ones. */
  const names = ref<string[]>([]);
  /** Cluster indexes to save. */
  const selected = ref<number[]>([]);
  const running = ref(false);
  const saving = ref(false);
  /** The workspace revision the result belongs to; a new import or analysis makes it stale. */
  const revision = ref(-1);

  async function cluster(request: RequestOf<'segments.cluster'>): Promise<SegmentationResult> {
    running.value = true;
    try {
      const next = await useJobsStore().run('segments.cluster', request);
      result.value = next;
      revision.value = useWorkspaceStore().revision;
      const suggested: string[] = [];
      for (const c of next.clusters) suggested[c.index] = c.name;
      names.value = suggested;
      selected.value = next.clusters.map((c) => c.index);
      return next;
    } finally {
      running.value = false;
    }
  }

  async function save(): Promise<SegmentInfo[]> {
    if (!result.value) return [];
    saving.value = true;
    try {
      const clusters = result.value.clusters;
      const size = Math.max(0, ...clusters.map((c) => c.index + 1));
      const byIndex = Array.from({ length: size }, (_, i) => names.value[i]?.trim() || clusters.find((c) => c.index === i)?.name || String(i + 1));
      const saved = await useJobsStore().run('segments.saveClusters', { runId: result.value.runId, names: byIndex, clusters: [...selected.value].sort((a, b) => a - b) });
      await useRuleFieldsStore().load(true);
      return saved;
    } finally {
      saving.value = false;
    }
  }

  /** Forgets a result computed on data that has changed since. */
  function dropIfStale(): void {
    if (result.value && revision.value !== useWorkspaceStore().revision) clear();
  }

  function clear(): void {
    result.value = null;
    names.value = [];
    selected.value = [];
  }

  return { result, names, selected, running, saving, revision, cluster, save, clear, dropIfStale };
});
