/**
 * Reading and writing campaign rows: the campaign itself (campaigns), its call list and holdout
 * (campaign_members), and the past campaigns a workspace knows only from imported responses.
 */
import type { AudienceSource, CampaignEvaluation, CampaignGoal, CampaignChannel, CampaignRanking, CampaignStatus, ManagerAllocation, Waterfall } from '../../../shared/campaigns';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import type { Allocated } from './allocation';

export interface CampaignArm {
  label: string;
  script?: string | undefined;
}

export interface CampaignParams {
  ranking: CampaignRanking;
  controlShare: number;
  fatigueDays: number;
  maxCampaignsPer30Days: number;
  perManagerCap: number;
  unknownConsent: 'exclude' | 'include';
  arms: CampaignArm[] | null;
  seed: number;
}

export interface CampaignRow {
  campaignId: string;
  name: string;
  goal: CampaignGoal | null;
  channel: CampaignChannel | null;
  productId: string | null;
  startsOn: string | null;
  endsOn: string | null;
  budget: number | null;
  costPerContact: number | null;
  owner: string | null;
  notes: string | null;
  script: string | null;
  source: AudienceSource | null;
  sourceLabel: string | null;
  parentId: string | null;
  wave: number;
  status: 'planned' | 'exported' | 'history' | 'draft';
  createdAt: string;
  exportedAt: string | null;
  universalPeriodId: number | null;
  params: CampaignParams | null;
  plan: { waterfall: Waterfall; managers: ManagerAllocation[] } | null;
  evaluation: CampaignEvaluation | null;
}

interface RawRow {
  campaign_id: string;
  name: string;
  goal: string | null;
  channel: string | null;
  product_id: string | null;
  starts_on: string | null;
  ends_on: string | null;
  budget: number | null;
  cost_per_contact: number | null;
  owner: string | null;
  notes: string | null;
  script: string | null;
  source_json: string | null;
  source_label: string | null;
  parent_id: string | null;
  wave: number;
  status: string;
  created_at: string;
  exported_at: string | null;
  universal_period_id: number | null;
  params_json: string;
  waterfall_json: string | null;
  results_json: string | null;
}

const COLUMNS = `campaign_id, name, goal, channel, product_id, starts_on, ends_on, budget, cost_per_contact, owner, notes, script,
  source_json, source_label, parent_id, wave, status, created_at, exported_at, universal_period_id, params_json, waterfall_json, results_json`;

const json = <T>(text: string | null): T | null => {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
};

function toRow(r: RawRow): CampaignRow {
  const params = json<CampaignParams>(r.params_json);
  return {
    campaignId: r.campaign_id,
    name: r.name,
    goal: r.goal as CampaignGoal | null,
    channel: r.channel as CampaignChannel | null,
    productId: r.product_id,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    budget: r.budget,
    costPerContact: r.cost_per_contact,
    owner: r.owner,
    notes: r.notes,
    script: r.script,
    source: json<AudienceSource>(r.source_json),
    sourceLabel: r.source_label,
    parentId: r.parent_id,
    wave: r.wave,
    status: r.status as CampaignRow['status'],
    createdAt: r.created_at,
    exportedAt: r.exported_at,
    universalPeriodId: r.universal_period_id,
    params: params && typeof params.ranking === 'string' ? params : null,
    plan: json(r.waterfall_json),
    evaluation: json(r.results_json),
  };
}

export function findCampaign(db: Db, campaignId: string): CampaignRow | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM campaigns WHERE campaign_id = ?`).get(campaignId) as RawRow | undefined;
  return row ? toRow(row) : null;
}

/**
 * The campaign, or the past campaign its responses name (read-only: jobs register such campaigns with
 * registerHistoryCampaigns before they write to them); a user error when neither exists.
 */
export function requireCampaign(db: Db, campaignId: string): CampaignRow {
  const row = findCampaign(db, campaignId) ?? historyRow(db, campaignId);
  if (!row) throw new EngineError('not_found', `找不到营销活动“${campaignId.slice(0, 40)}”，请在营销活动列表中确认活动编号`);
  return row;
}

/** A past campaign known only from its responses, as registerHistoryCampaigns would record it. */
export function historyRow(db: Db, campaignId: string): CampaignRow | null {
  const span = db.prepare('SELECT count(*) AS n, min(responded_at) AS first, max(responded_at) AS last FROM campaign_responses WHERE campaign_id = ?').get(campaignId) as { n: number; first: string | null; last: string | null };
  if (span.n === 0) return null;
  return {
    campaignId, name: campaignId, goal: null, channel: null, productId: null, startsOn: span.first?.slice(0, 10) ?? null, endsOn: span.last?.slice(0, 10) ?? null,
    budget: null, costPerContact: null, owner: null, notes: null, script: null, source: null, sourceLabel: null, parentId: null, wave: 1,
    status: 'history', createdAt: span.first ?? '', exportedAt: null, universalPeriodId: null, params: null, plan: null, evaluation: null,
  };
}

export function listCampaignRows(db: Db): CampaignRow[] {
  return (db.prepare(`SELECT ${COLUMNS} FROM campaigns ORDER BY created_at DESC, campaign_id DESC`).all() as RawRow[]).map(toRow);
}

/** CMP20261206-01: the creation day and a sequence number within it. */
export function nextCampaignId(db: Db, today: string): string {
  const prefix = `CMP${today.replaceAll('-', '')}-`;
  const taken = db.prepare('SELECT campaign_id FROM campaigns WHERE campaign_id LIKE ? ESCAPE \'\\\'').pluck().all(`${prefix}%`) as string[];
  let n = taken.length + 1;
  while (taken.includes(`${prefix}${String(n).padStart(2, '0')}`)) n++;
  return `${prefix}${String(n).padStart(2, '0')}`;
}

export interface NewCampaign {
  campaignId: string;
  name: string;
  goal: CampaignGoal;
  channel: CampaignChannel;
  productId: string | null;
  startsOn: string;
  endsOn: string;
  budget: number | null;
  costPerContact: number | null;
  owner: string | null;
  notes: string | null;
  script: string;
  source: AudienceSource;
  sourceLabel: string;
  parentId: string | null;
  wave: number;
  universalPeriodId: number;
  params: CampaignParams;
  plan: { waterfall: Waterfall; managers: ManagerAllocation[] };
}

export interface NewMember extends Allocated {
  stratum: string;
  reason: string | null;
}

export function insertCampaign(db: Db, c: NewCampaign, members: readonly NewMember[]): void {
  db.prepare(
    `INSERT INTO campaigns (campaign_id, name, product_id, rule_json, params_json, status, created_at, goal, channel, starts_on, ends_on, budget,
       cost_per_contact, owner, notes, script, source_json, source_label, parent_id, wave, waterfall_json, universal_period_id)
     VALUES (?, ?, ?, ?, ?, 'planned', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    c.campaignId, c.name, c.productId, c.source.kind === 'rule' ? JSON.stringify(c.source.rule) : null, JSON.stringify(c.params), new Date().toISOString(),
    c.goal, c.channel, c.startsOn, c.endsOn, c.budget, c.costPerContact, c.owner, c.notes, c.script,
    JSON.stringify(c.source), c.sourceLabel, c.parentId, c.wave, JSON.stringify(c.plan), c.universalPeriodId,
  );
  const insert = db.prepare('INSERT INTO campaign_members (campaign_id, customer_id, member_group, manager_id, arm, rank, score, stratum, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  // In key order, so the table and its customer index are appended to rather than split.
  const ordered = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const m of ordered) insert.run(c.campaignId, m.id, m.group, m.managerId, m.arm, m.rank, m.score, m.stratum, m.reason);
}

export function saveEvaluation(db: Db, campaignId: string, evaluation: CampaignEvaluation): void {
  db.prepare('UPDATE campaigns SET results_json = ? WHERE campaign_id = ?').run(JSON.stringify(evaluation), campaignId);
}

export function markExported(db: Db, campaignId: string): void {
  db.prepare("UPDATE campaigns SET status = CASE WHEN status = 'planned' THEN 'exported' ELSE status END, exported_at = ? WHERE campaign_id = ?").run(new Date().toISOString(), campaignId);
}

/** What the screens call the campaign's state on `today`. */
export function campaignStatus(row: Pick<CampaignRow, 'status' | 'endsOn' | 'exportedAt'>, today: string): CampaignStatus {
  if (row.status === 'history') return 'history';
  if (row.endsOn && row.endsOn < today) return 'ended';
  return row.exportedAt ? 'running' : 'planned';
}

/**
 * Campaign ids of imported responses that have no campaign row (past campaigns, a bank's own campaign
 * system): found by skipping through the (campaign_id, customer_id) key, one probe per campaign.
 */
export function unregisteredCampaignIds(db: Db): string[] {
  return db
    .prepare(
      `WITH RECURSIVE ids(id) AS (
         SELECT (SELECT min(campaign_id) FROM campaign_responses)
         UNION ALL SELECT (SELECT min(campaign_id) FROM campaign_responses WHERE campaign_id > ids.id) FROM ids WHERE ids.id IS NOT NULL
       )
       SELECT id FROM ids WHERE id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.campaign_id = ids.id)`,
    )
    .pluck()
    .all() as string[];
}

/**
 * Gives every past campaign of the responses a row of its own (status 'history'), named after its id,
 * its period the span of its response dates, so lists, fatigue and evaluation treat it like any campaign.
 */
export function registerHistoryCampaigns(db: Db): number {
  const ids = unregisteredCampaignIds(db);
  if (ids.length === 0) return 0;
  const insert = db.prepare("INSERT INTO campaigns (campaign_id, name, status, created_at, starts_on, ends_on, wave) VALUES (?, ?, 'history', ?, ?, ?, 1)");
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const id of ids) {
      const row = historyRow(db, id)!;
      insert.run(id, row.name, now, row.startsOn, row.endsOn);
    }
  })();
  return ids.length;
}
