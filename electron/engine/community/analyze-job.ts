/**
 * The `community.analyze` job: a snapshot of every community, grid and manager (and the branch) as of a
 * month, stored as one `community` analysis run. It also counts the target customers of each suggestion
 * rule in each community, and enters past community events of the contact records into the activity
 * register. The screens and the CLI read the snapshot; opportunity scores and suggestions are computed from
 * it on each read with the current settings (ranking.ts).
 */
import type { CommunityAnalyzeResult } from '../../../shared/community';
import type { CommunityRunInfo, CommunityUnit } from '../../../shared/community-types';
import type { Settings } from '../../../shared/settings';
import { monthEnd } from '../analytics/dates';
import { latestDataMonth, resolveAsOf } from '../analytics/as-of';
import { appendAudit } from '../audit';
import type { JobContext } from '../context';
import { latestRuns, type LatestRuns } from '../customers/latest-runs';
import { listContext } from '../customers/list-context';
import type { Db } from '../db/workspace';
import { CancelledError, EngineError } from '../errors';
import { readSettings } from '../settings-store';
import { aggregateUnits, familyBalances } from './aggregate';
import { countByCommunity, prepareAudience } from './audience';
import { buildCustomerRows, dropCustomerRows, periodStartOf, ROWS, type RowsWindow } from './customer-rows';
import { dataReach, refreshEvaluations } from './evaluation';
import { campaignHistoryByCommunity, syncEventHistory } from './history';
import { COMMUNITY_RUN_KIND, findRun, type RunMetrics } from './snapshot-store';
import { branchUnit, communityUnits, gridUnits, managerUnits, registerCommunities } from './units';

const PHASES = ['汇总客户', '社区指标', '网格与客户经理', '目标客户', '活动记录', '保存'] as const;

export async function analyzeCommunities(ctx: JobContext, request: { month?: string | undefined }): Promise<CommunityAnalyzeResult> {
  const started = performance.now();
  const db = ctx.db();
  const register = registerCommunities(db);
  if (register.length === 0) throw new EngineError('bad_input', '工作区中还没有社区信息，请先导入社区表（社区编号、社区名称、户数等）再计算社区画像');
  const settings = readSettings(db);
  const { month, asOf } = resolveAsOf(db, request.month);
  const window: RowsWindow = { month, asOf: monthEnd(month), periodStart: periodStartOf(month, settings.community.periodMonths) };
  const runs = latestRuns(db);
  const runId = Number(
    db
      .prepare("INSERT INTO analysis_runs (kind, params_json, as_of, status, started_at) VALUES (?, ?, ?, 'running', ?)")
      .run(COMMUNITY_RUN_KIND, JSON.stringify({ month, community: settings.community, tiers: settings.tiers, sourceRuns: runs }), asOf, new Date().toISOString()).lastInsertRowid,
  );
  const timings: Record<string, number> = {};
  let phaseStarted = performance.now();
  const step = (index: number) => {
    ctx.throwIfCancelled();
    if (index > 0) timings[PHASES[index - 1] as string] = Math.round(performance.now() - phaseStarted) / 1000;
    phaseStarted = performance.now();
    ctx.progress(PHASES[index] as string, index, PHASES.length);
  };

  try {
    step(0);
    buildCustomerRows(db, settings, runs, window);
    step(1);
    const communities = communityUnits(register, aggregateUnits(db, 'community', settings, window));
    step(2);
    const grids = gridUnits(register, communities, aggregateUnits(db, 'grid', settings, window));
    const managers = managerUnits(db, register, aggregateUnits(db, 'manager', settings, window));
    const branch = branchUnit(register, communities, aggregateUnits(db, 'branch', settings, window), familyBalances(db, window.asOf));
    step(3);
    countTargets(db, settings, communities);
    attachManagers(db, communities);
    const campaigns = campaignHistoryByCommunity(db);
    for (const c of communities) c.campaigns = campaigns.get(c.id) ?? [];
    const unassigned = (db.prepare(`SELECT count(*) AS n FROM ${ROWS} WHERE cur = 1 AND community_id IS NULL`).get() as { n: number }).n;

    step(4);
    db.exec('BEGIN IMMEDIATE');
    try {
      const historyAdded = syncEventHistory(db);
      const reach = dataReach(db);
      refreshEvaluations(db, reach, settings.community.planning.evaluationDays);
      step(5);
      const insert = db.prepare('INSERT INTO community_units (run_id, scope, unit_id, unit_json) VALUES (?, ?, ?, ?)');
      for (const u of [...communities, ...grids, ...managers, branch]) insert.run(runId, u.scope, u.id, JSON.stringify(u));
      const metrics: RunMetrics & { communities: number; customers: number; historyAdded: number } = {
        month,
        periodFrom: window.periodStart.slice(0, 7),
        scoresAsOf: runs.scoreAsOf,
        unassignedCustomers: unassigned,
        notes: dataNotes(db, runs, communities, branch),
        reach,
        communities: communities.length,
        customers: branch.measures.customers,
        historyAdded,
      };
      const seconds = Math.round(performance.now() - started) / 1000;
      timings[PHASES[5]] = Math.round(performance.now() - phaseStarted) / 1000;
      db.prepare("UPDATE analysis_runs SET status = 'succeeded', finished_at = ?, metrics_json = ?, timings_json = ? WHERE run_id = ?").run(
        new Date().toISOString(),
        JSON.stringify(metrics),
        JSON.stringify({ ...timings, total: seconds }),
        runId,
      );
      appendAudit(db, { action: 'community.analyze', params: { runId, month, historyAdded, seconds }, rowCount: communities.length });
      db.exec('COMMIT');
      return { runId, month, asOf, communities: communities.length, customers: branch.measures.customers, historyAdded, seconds };
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  } catch (error) {
    recordFailure(db, runId, error);
    throw error;
  } finally {
    dropCustomerRows(db);
  }
}

/**
 * The snapshot of `month` (the latest data month by default): the latest one when it is of that month and
 * no newer data came in since, else a new one. For jobs that read community portraits (the CLI, reports).
 */
export async function ensureCommunitySnapshot(ctx: JobContext, month?: string): Promise<CommunityRunInfo> {
  const db = ctx.db();
  const wanted = month ?? latestDataMonth(db).month;
  const latest = findRun(db);
  if (latest && !latest.stale && latest.month === wanted) return latest;
  const { runId } = await analyzeCommunities(ctx, { month });
  return findRun(db, runId) as CommunityRunInfo;
}

/** Target list sizes of every enabled rule's audience in every community, in one pass over the customers. */
function countTargets(db: Db, settings: Settings, communities: CommunityUnit[]): void {
  const { catalog } = listContext(db);
  const usable = settings.community.activityRules
    .filter((rule) => rule.enabled)
    .map((rule) => ({ rule, prepared: prepareAudience(rule.audience, catalog).rule }))
    .filter((r): r is { rule: (typeof r)['rule']; prepared: NonNullable<(typeof r)['prepared']> } => r.prepared !== null);
  const counts = countByCommunity(db, catalog, usable.map((r) => r.prepared));
  usable.forEach(({ rule }, i) => {
    const audience = JSON.stringify(rule.audience);
    for (const c of communities) c.targets[rule.id] = { audience, size: counts[i]?.get(c.id) ?? 0 };
  });
}

/** The managers serving each community's customers, and how many of them they contacted recently. */
function attachManagers(db: Db, communities: CommunityUnit[]): void {
  const rows = db
    .prepare(`SELECT community_id AS id, manager_id AS managerId, count(*) AS customers, sum(contacted) AS contacted FROM ${ROWS} WHERE cur = 1 AND community_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 3 DESC`)
    .all() as { id: string; managerId: string | null; customers: number; contacted: number }[];
  const byCommunity = new Map<string, NonNullable<CommunityUnit['managers']>>();
  for (const { id, ...entry } of rows) byCommunity.set(id, [...(byCommunity.get(id) ?? []), entry]);
  for (const c of communities) c.managers = byCommunity.get(c.id) ?? [];
}

/** What the data lacks, said once for the whole snapshot. */
function dataNotes(db: Db, runs: LatestRuns, communities: readonly CommunityUnit[], branch: CommunityUnit): string[] {
  const notes: string[] = [];
  if (branch.measures.aumTotal === null) notes.push('没有月日均资产数据：资产、价值分层、户均资产和在险资产无数据');
  if (runs.scoreRunId === null) notes.push('尚未运行客户分析：活跃客户、流失客户、生命周期和流失风险无数据');
  else if (branch.measures.churnScored === 0) notes.push('尚未进行流失打分：流失风险和在险资产无数据');
  const withoutHouseholds = communities.filter((c) => c.measures.households === null || c.measures.households === 0).length;
  if (withoutHouseholds === communities.length) notes.push('社区表没有户数：渗透率、户均资产（按住户）和未覆盖住户无数据');
  else if (withoutHouseholds > 0) notes.push(`${withoutHouseholds} 个社区缺少户数：这些社区的渗透率无数据`);
  const events = (db.prepare("SELECT EXISTS (SELECT 1 FROM interactions WHERE kind = 'event') AS found").get() as { found: number }).found;
  if (!events) notes.push('客户接触记录中没有社区活动：活动历史为空');
  return notes;
}

function recordFailure(db: Db, runId: number, error: unknown): void {
  try {
    if (error instanceof CancelledError) db.prepare('DELETE FROM analysis_runs WHERE run_id = ?').run(runId);
    else db.prepare("UPDATE analysis_runs SET status = 'failed', finished_at = ?, metrics_json = ? WHERE run_id = ?").run(new Date().toISOString(), JSON.stringify({ error: String((error as Error)?.message ?? error) }), runId);
  } catch {
    // The workspace itself is failing; the original error is the one worth reporting.
  }
}
