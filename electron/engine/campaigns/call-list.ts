/**
 * A manager's call list as it is exported: the columns the issue lists, in order, and the rows of one
 * manager (or the pool) in rank order. Names and mobile numbers are masked unless the export states a
 * purpose; the 话术 is the campaign's (or the arm's) template filled in per customer; 跟进结果, 跟进日期 and
 * 成交金额 are left empty for the manager, and import back as responses (responses.ts).
 */
import { CAMPAIGN_GOAL_LABELS } from '../../../shared/campaigns';
import { measureHeader, yuanToWan } from '../../../shared/glossary';
import { maskValue } from '../../../shared/masking';
import { VALUE_TIER_LABELS } from '../../../shared/rule-fields';
import type { Db } from '../db/workspace';
import type { Cell, SheetColumn } from '../export/sheet';
import { lastContacts } from './facts';
import { fillScript } from './script';
import type { CampaignRow } from './store';

/** The headers the response import recognises in a filled-in list. */
export const FOLLOW_UP = { customerId: '客户号', outcome: '跟进结果', date: '跟进日期', amount: '成交金额(万元)' } as const;

/** What 跟进结果 accepts: the response outcomes' names in the data dictionary. */
export const FOLLOW_UP_VALUES = ['已触达', '有响应', '已成交'] as const;

export function callListColumns(arms: boolean): SheetColumn[] {
  return [
    { label: FOLLOW_UP.customerId, kind: 'text' },
    { label: '姓名', kind: 'text' },
    { label: '手机号', kind: 'text' },
    { label: '层级', kind: 'text' },
    { label: measureHeader('aum_avg_3m'), kind: 'money' },
    { label: '上次联系', kind: 'date' },
    ...(arms ? [{ label: '方案', kind: 'text' } as const] : []),
    { label: '推荐产品/流失原因', kind: 'text' },
    { label: '话术', kind: 'text' },
    { label: FOLLOW_UP.outcome, kind: 'text' },
    { label: FOLLOW_UP.date, kind: 'date' },
    { label: FOLLOW_UP.amount, kind: 'money' },
  ];
}

export interface ListSheet {
  managerId: string | null;
  managerName: string;
  rows: number;
}

/** The managers with a call list, in code order, the pool last. */
export function listSheets(db: Db, campaignId: string, poolName: string): ListSheet[] {
  const rows = db
    .prepare(
      `SELECT m.manager_id AS managerId, coalesce(g.name, m.manager_id) AS managerName, count(*) AS rows
       FROM campaign_members m LEFT JOIN managers g ON g.manager_id = m.manager_id
       WHERE m.campaign_id = ? AND m.member_group = 'target'
       GROUP BY m.manager_id ORDER BY m.manager_id IS NULL, m.manager_id`,
    )
    .all(campaignId) as { managerId: string | null; managerName: string | null; rows: number }[];
  return rows.map((r) => ({ managerId: r.managerId, managerName: r.managerId === null ? poolName : (r.managerName ?? r.managerId), rows: r.rows }));
}

interface MemberRaw {
  customer_id: string;
  name: string | null;
  gender: string | null;
  mobile: string | null;
  /** manager|tier at allocation: the tier the holdout was stratified by. */
  stratum: string | null;
  aum: number | null;
  arm: string | null;
  reason: string | null;
}

/** One manager's targets as cells, in rank order. */
export function callListRows(db: Db, campaign: CampaignRow, managerId: string | null, masked: boolean, productName: string | null): Cell[][] {
  const members = db
    .prepare(
      `SELECT m.customer_id, c.name, c.gender, c.mobile, m.stratum, cs.aum_avg_3m AS aum, m.arm, m.reason
       FROM campaign_members m
       JOIN customers c ON c.customer_id = m.customer_id
       LEFT JOIN customer_summary cs ON cs.customer_id = m.customer_id
       WHERE m.campaign_id = ? AND m.member_group = 'target' AND m.manager_id IS ?
       ORDER BY m.rank, m.customer_id`,
    )
    .all(campaign.campaignId, managerId) as MemberRaw[];
  const contacts = lastContacts(db, members.map((m) => m.customer_id));
  const arms = campaign.params?.arms ?? null;
  const template = (arm: string | null) => (arm && arms ? (arms[arm === 'A' ? 0 : 1]?.script ?? campaign.script) : campaign.script) ?? '';
  return members.map((m) => {
    const tier = m.stratum?.split('|')[1] || null;
    const armLabel = arm(m.arm, arms);
    return [
      m.customer_id,
      masked ? maskValue('name', m.name) : m.name,
      masked ? maskValue('mobile', m.mobile) : m.mobile,
      tier ? (VALUE_TIER_LABELS[tier as keyof typeof VALUE_TIER_LABELS] ?? tier) : null,
      yuanToWan(m.aum),
      contacts.get(m.customer_id) ?? null,
      ...(arms ? [armLabel] : []),
      m.reason,
      fillScript(template(m.arm), { name: m.name, gender: m.gender, product: productName }),
      null,
      null,
      null,
    ];
  });
}

const arm = (key: string | null, arms: readonly { label: string }[] | null) => (key && arms ? `${key}：${arms[key === 'A' ? 0 : 1]?.label ?? key}` : null);

/** (label, value) lines of the summary sheet: what the campaign is. */
export function campaignLines(campaign: CampaignRow, productName: string | null): [string, string][] {
  return [
    ['活动编号', campaign.campaignId],
    ['活动名称', campaign.name],
    ['活动目标', campaign.goal ? CAMPAIGN_GOAL_LABELS[campaign.goal] : '—'],
    ['营销产品', productName ?? '—'],
    ['活动期间', `${campaign.startsOn ?? '—'} 至 ${campaign.endsOn ?? '—'}`],
    ['负责人', campaign.owner ?? '—'],
    ['受众来源', campaign.sourceLabel ?? '—'],
  ];
}
