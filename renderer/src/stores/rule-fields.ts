/**
 * What rules may name in the open workspace: the customer fields of `customers.fields` (with the reason
 * each unavailable one cannot be used yet), the tag library and the saved segments. The rule builder, the
 * tag and segment screens and the group portrait all read it; saving a tag or a segment reloads it.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RuleFieldInfo } from '../../../shared/api';
import type { SegmentInfo, TagInfo } from '../../../shared/analytics';
import { catalogFromInfo } from '../components/rule-builder/model';
import { call, errorMessage } from '../services/workbench';
import { useWorkspaceStore } from './workspace';

export const useRuleFieldsStore = defineStore('ruleFields', () => {
  const fields = ref<RuleFieldInfo[]>([]);
  const unavailable = ref<Record<string, string>>({});
  const tags = ref<TagInfo[]>([]);
  const segments = ref<SegmentInfo[]>([]);
  /** Why the tag library or the segment list could not be read, shown instead of an empty list. */
  const tagsError = ref<string | null>(null);
  const segmentsError = ref<string | null>(null);
  const loading = ref(false);
  const revision = ref(-1);

  const catalog = computed(() => catalogFromInfo(fields.value, unavailable.value));
  const byKey = computed(() => new Map(fields.value.map((f) => [f.key, f])));

  function field(key: string): RuleFieldInfo | undefined {
    return byKey.value.get(key);
  }

  async function loadFields(): Promise<void> {
    const result = await call('customers.fields', {}, { silent: true });
    fields.value = result.fields;
    unavailable.value = result.unavailable;
  }

  async function loadTags(): Promise<void> {
    try {
      tags.value = await call('tags.list', {}, { silent: true });
      tagsError.value = null;
    } catch (error) {
      tags.value = [];
      tagsError.value = errorMessage(error);
    }
  }

  async function loadSegments(): Promise<void> {
    try {
      segments.value = await call('segments.list', {}, { silent: true });
      segmentsError.value = null;
    } catch (error) {
      segments.value = [];
      segmentsError.value = errorMessage(error);
    }
  }

  /** Loads once per workspace revision; `force` after a tag, a segment or an analysis was saved. */
  async function load(force = false): Promise<void> {
    const workspace = useWorkspaceStore();
    if (!workspace.isOpen) {
      fields.value = [];
      unavailable.value = {};
      tags.value = [];
      segments.value = [];
      return;
    }
    if (!force && revision.value === workspace.revision) return;
    revision.value = workspace.revision;
    loading.value = true;
    try {
      await Promise.all([loadFields().catch(() => undefined), loadTags(), loadSegments()]);
    } finally {
      loading.value = false;
    }
  }

  return { fields, unavailable, tags, segments, tagsError, segmentsError, loading, catalog, field, load, loadTags, loadSegments };
});
