/** The last data-quality report of the open workspace, kept while the data does not change. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { QualityReport } from '../../../shared/api';
import { useJobsStore } from './jobs';
import { useWorkspaceStore } from './workspace';

export const useQualityStore = defineStore('quality', () => {
  const report = ref<QualityReport | null>(null);
  const revision = ref(-1);
  const running = ref(false);

  function current(): QualityReport | null {
    return revision.value === useWorkspaceStore().revision ? report.value : null;
  }

  async function run(): Promise<QualityReport> {
    running.value = true;
    try {
      const next = await useJobsStore().run('quality.run', {});
      report.value = next;
      revision.value = useWorkspaceStore().revision;
      return next;
    } finally {
      running.value = false;
    }
  }

  return { report, revision, running, current, run };
});
