/**
 * A list paged by key (the risk list, the win-back list, a product's customers): the first page on reload, further pages on "加载更多",
 * and every row for an Excel export. Pages answered after a newer reload are dropped, so a quick change of
 * filters never shows a stale page.
 */
import { ref, type Ref } from 'vue';
import { errorMessage } from '../services/workbench';

export type PageKey = { value: number | null; id: string };
export interface KeysetPage<Row> {
  rows: Row[];
  next: PageKey | null;
  total: number;
}

/** At most this many rows go into one export. */
const EXPORT_MAX_ROWS = 100_000;

/**
 * `fetchPage(after, limit, silent)` asks the engine for the page after a key (the first when undefined);
 * `silent` failures are shown in the list rather than as a message.
 */
export function useKeysetList<Row>(fetchPage: (after: PageKey | undefined, limit: number | undefined, silent: boolean) => Promise<KeysetPage<Row>>) {
  const rows = ref<Row[]>([]) as Ref<Row[]>;
  const next = ref<PageKey | null>(null);
  const total = ref<number | null>(null);
  const loading = ref(false);
  const failure = ref<string | null>(null);
  let generation = 0;

  async function reload(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    try {
      const page = await fetchPage(undefined, undefined, true);
      if (mine !== generation) return;
      rows.value = page.rows;
      next.value = page.next;
      total.value = page.total;
      failure.value = null;
    } catch (error) {
      if (mine !== generation) return;
      rows.value = [];
      next.value = null;
      total.value = null;
      failure.value = errorMessage(error);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function more(): Promise<void> {
    if (!next.value || loading.value) return;
    const mine = generation;
    loading.value = true;
    try {
      const page = await fetchPage(next.value, undefined, false);
      if (mine !== generation) return;
      rows.value = rows.value.concat(page.rows);
      next.value = page.next;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** Every row of the current filter, page by page, for the Excel export. */
  async function loadAll(): Promise<Row[]> {
    const out: Row[] = [];
    let after: PageKey | undefined;
    for (;;) {
      const page = await fetchPage(after, 1000, false);
      out.push(...page.rows);
      if (!page.next || out.length >= EXPORT_MAX_ROWS) break;
      after = page.next;
    }
    return out;
  }

  return { rows, next, total, loading, failure, reload, more, loadAll };
}
