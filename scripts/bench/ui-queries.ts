/**
 * Customer-screen queries on a million customers: the quality bar is p95 under 100 ms for every list page
 * (DESIGN.md §5, customers.page). Measures the first page, a deep page after a cursor, a filter, a search
 * and a sort on a non-key column, plus the combinations a session produces (filter with sort, search with
 * filter), the count, the 360 portrait and the summary refresh an import triggers.
 *
 * The workspace is generated with SQL (scripts/bench/_customer-workspace.ts) in bench/tmp and reused
 * across runs; `--fresh` rebuilds it. Each case runs with varying parameters (cursors, terms, filters) so
 * that one cached page does not stand for all.
 */
import { join } from 'node:path';
import { customerCount, customerPage } from '../../electron/engine/customers/customer-list';
import { refreshCustomerSummary } from '../../electron/engine/customers/customer-summary';
import { customerPortrait } from '../../electron/engine/customers/portrait';
import type { Db } from '../../electron/engine/db/workspace';
import type { RuleNode } from '../../shared/rules';
import { buildCustomerWorkspace } from './_customer-workspace';
import { attachToResult, ensureScratchDir, peakRssMb, writeResult } from './_util';

const CUSTOMERS = 1_000_000;
const RUNS = 60;
const WARMUP = 5;
const TARGET_P95_MS = 100;

interface Case {
  name: string;
  /** Whether the case is a customers.page query held to the 100 ms bar. */
  page: boolean;
  run: (i: number) => unknown;
}

const id = (n: number) => `C${String(n).padStart(7, '0')}`;
/** A deterministic spread of positions over the list. */
const spread = (i: number) => 1 + ((i * 7_919 + 104_729) % (CUSTOMERS - 1));
const SEARCH_TERMS = ['张伟', '王芳', '李娜', '刘强', '陈静', '杨洋', '黄敏', '赵磊', '周杰', '吴艳', 'C00123', 'C04567'];

function cases(db: Db): Case[] {
  const page = (request: Parameters<typeof customerPage>[1]) => customerPage(db, { limit: 200, ...request });
  const c1Women: RuleNode = { all: [{ field: 'risk_level', op: '=', value: 'C1' }, { field: 'gender', op: '=', value: 'F' }] };
  const riskGender = (i: number): RuleNode => ({ all: [{ field: 'risk_level', op: '=', value: `C${(i % 5) + 1}` }, { field: 'gender', op: '=', value: i % 2 === 0 ? 'F' : 'M' }] });
  // About one customer in 400: too rare to find by walking the sort order, so the planner's fallback answers.
  const rare = (i: number): RuleNode => ({
    all: [{ field: 'manager_id', op: '=', value: `M${String((i % 40) + 1).padStart(3, '0')}` }, { field: 'risk_level', op: '=', value: 'C5' }, { field: 'gender', op: '=', value: 'F' }],
  });
  return [
    { name: 'first page', page: true, run: () => page({}) },
    { name: 'deep page (cursor)', page: true, run: (i) => page({ after: { value: id(spread(i)), id: id(spread(i)) } }) },
    { name: 'filter risk_level = C1 and gender = F', page: true, run: () => page({ filter: c1Women }) },
    { name: 'filter, deep page', page: true, run: (i) => page({ filter: riskGender(i), after: { value: id(spread(i)), id: id(spread(i)) } }) },
    { name: 'search (name fragment or customer number)', page: true, run: (i) => page({ search: SEARCH_TERMS[i % SEARCH_TERMS.length] }) },
    { name: 'sort open_date desc', page: true, run: () => page({ sort: { field: 'open_date', direction: 'desc' } }) },
    {
      name: 'sort open_date desc, deep page',
      page: true,
      run: (i) => page({ sort: { field: 'open_date', direction: 'desc' }, after: { value: `20${String(10 + (i % 14)).padStart(2, '0')}-06-15`, id: id(spread(i)) } }),
    },
    { name: 'sort aum_avg_3m desc', page: true, run: () => page({ sort: { field: 'aum_avg_3m', direction: 'desc' } }) },
    { name: 'sort age asc', page: true, run: () => page({ sort: { field: 'age', direction: 'asc' } }) },
    { name: 'sort churn_prob desc', page: true, run: () => page({ sort: { field: 'churn_prob', direction: 'desc' } }) },
    { name: 'filter + sort aum_avg_3m desc', page: true, run: (i) => page({ filter: riskGender(i), sort: { field: 'aum_avg_3m', direction: 'desc' } }) },
    { name: 'filter value_tier = private + sort open_date', page: true, run: () => page({ filter: { field: 'value_tier', op: '=', value: 'private' }, sort: { field: 'open_date', direction: 'asc' } }) },
    {
      name: 'rare filter (one manager, risk, gender) + sort name',
      page: true,
      run: (i) => page({ filter: rare(i), sort: { field: 'name', direction: 'asc' } }),
    },
    { name: 'search + filter', page: true, run: (i) => page({ search: SEARCH_TERMS[i % 10], filter: { field: 'gender', op: '=', value: 'M' } }) },
    { name: 'count, no filter', page: false, run: () => customerCount(db, {}) },
    { name: 'count, filter risk_level = C1 and gender = F', page: false, run: () => customerCount(db, { filter: c1Women }) },
    { name: 'count, search', page: false, run: (i) => customerCount(db, { search: SEARCH_TERMS[i % SEARCH_TERMS.length] }) },
    { name: 'portrait', page: false, run: (i) => customerPortrait(db, id(spread(i))) },
  ];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export default async function run(): Promise<void> {
  const fresh = process.argv.includes('--fresh');
  const path = join(ensureScratchDir(), 'ui-queries-1m.bpw');
  const buildStart = performance.now();
  const db = buildCustomerWorkspace(path, { customers: CUSTOMERS, latestMonth: '2024-06', months: 3 }, !fresh);
  const buildSeconds = (performance.now() - buildStart) / 1000;
  // The first refresh after a fresh build indexes every name; the second is what an import that changes
  // little costs.
  const firstRefresh = timed(() => refreshCustomerSummary(db));
  const repeatRefresh = timed(() => refreshCustomerSummary(db));
  db.exec('ANALYZE customer_scores');
  console.log(`工作区就绪（${buildSeconds.toFixed(1)} 秒），客户汇总刷新：首次 ${firstRefresh.toFixed(1)} 秒，再次 ${repeatRefresh.toFixed(1)} 秒`);

  const results = [];
  try {
    for (const c of cases(db)) {
      for (let i = 0; i < WARMUP; i++) c.run(i);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        c.run(i);
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const row = {
        case: c.name,
        page: c.page,
        runs: RUNS,
        p50Ms: round(percentile(times, 50)),
        p95Ms: round(percentile(times, 95)),
        maxMs: round(times[times.length - 1]!),
        ...(c.page ? { meetsTarget: percentile(times, 95) < TARGET_P95_MS } : {}),
      };
      results.push(row);
      console.log(`${c.name.padEnd(52)} p50 ${row.p50Ms.toFixed(1).padStart(7)} ms   p95 ${row.p95Ms.toFixed(1).padStart(7)} ms   max ${row.maxMs.toFixed(1).padStart(7)} ms`);
    }
  } finally {
    db.close();
  }
  const pagesMeetingTarget = `${results.filter((r) => r.page && r.meetsTarget).length}/${results.filter((r) => r.page).length}`;
  writeResult('ui-queries', {
    customers: CUSTOMERS,
    targetP95Ms: TARGET_P95_MS,
    workspaceSeconds: round(buildSeconds),
    summaryRefreshSeconds: { afterBuild: round(firstRefresh), repeated: round(repeatRefresh) },
    pagesMeetingTarget,
    peakRssMb: peakRssMb(),
    results,
  });
  // The app's quality bar is one file: first paint and list queries together in ui.json.
  attachToResult('ui', 'customerListQueries', customerListSummary(results, pagesMeetingTarget));
}

function customerListSummary(results: { case: string; page: boolean; p95Ms: number }[], pagesMeetingTarget: string) {
  const pages = results.filter((r) => r.page);
  return {
    ranAt: new Date().toISOString(),
    customers: CUSTOMERS,
    targetP95Ms: TARGET_P95_MS,
    pagesMeetingTarget,
    worstPageP95Ms: Math.max(...pages.map((r) => r.p95Ms)),
    p95MsByCase: Object.fromEntries(results.map((r) => [r.case, r.p95Ms])),
    details: 'bench/results/ui-queries.json',
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

function timed(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
}
