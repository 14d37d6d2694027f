/**
 * campaigns.controlGroup (CLI `control-group`): the universal control group in force today (drawn when no
 * draw covers today, or drawn again with `redraw`), and what all marketing achieved over its period:
 * customers outside the group (everyone any campaign could reach) against the group (never marketed), by
 * the share that opened a new product within the period, with Newcombe's interval; contacts and responses
 * of every campaign in the period, and the mean AUM change, alongside.
 */
import type { ParsedRequestOf } from '../../../shared/api';
import type { UniversalControlEffect, UniversalControlResult } from '../../../shared/campaigns';
import { appendAudit } from '../audit';
import type { JobContext } from '../context';
import { localToday } from '../customers/today';
import type { Db } from '../db/workspace';
import { readSettings } from '../settings-store';
import { outcomeOf } from './evaluation';
import type { MemberOutcome } from './outcomes';
import { outcomeWindow } from './outcomes';
import { compareRates } from './verdict';
import { ensureUniversalControl, periodById, type ControlPeriod } from './universal-control';

export async function universalControlJob(ctx: JobContext, request: ParsedRequestOf<'campaigns.controlGroup'>): Promise<UniversalControlResult> {
  const db = ctx.db();
  const date = request.date ?? localToday();
  ctx.progress(request.redraw ? '重新抽取全局对照组' : '全局对照组', 0, 2);
  const info = ensureUniversalControl(db, date, readSettings(db), { redraw: request.redraw });
  if (request.redraw) appendAudit(db, { action: 'campaign.controlGroup.redraw', params: { periodId: info.periodId, startsOn: info.startsOn, endsOn: info.endsOn, share: info.share }, rowCount: info.size });
  ctx.progress('评估全局对照组', 1, 2);
  const effect = universalEffect(db, periodById(db, info.periodId)!);
  ctx.progress('评估全局对照组', 2, 2);
  return { ...info, effect };
}

export function universalEffect(db: Db, period: ControlPeriod): UniversalControlEffect {
  // The group holds customers out only from the day it was drawn: what happened earlier in the period
  // was not marketing it was kept from.
  const drawnOn = period.drawnAt.slice(0, 10);
  const from = drawnOn > period.startsOn ? drawnOn : period.startsOn;
  const window = outcomeWindow(db, from, period.endsOn);
  const measuredTo = window.dataThrough && window.dataThrough < period.endsOn ? window.dataThrough : period.endsOn;
  const measurable = window.dataThrough !== null && window.dataThrough >= from;
  const rows = db
    .prepare(
      `SELECT a.customer_id AS id, CASE a.in_control WHEN 1 THEN 'control' ELSE 'target' END AS grp,
         (SELECT max(CASE r.outcome WHEN 'converted' THEN 3 WHEN 'responded' THEN 2 ELSE 1 END) FROM campaign_responses r
            WHERE r.customer_id = a.customer_id AND r.responded_at BETWEEN @from AND @to) AS response,
         (SELECT coalesce(sum(r.amount), 0) FROM campaign_responses r WHERE r.customer_id = a.customer_id AND r.outcome = 'converted' AND r.responded_at BETWEEN @from AND @to) AS amount,
         ${measurable ? 'EXISTS (SELECT 1 FROM holdings h WHERE h.customer_id = a.customer_id AND h.opened_at BETWEEN @from AND @to)' : '0'} AS opened,
         (SELECT b.aum FROM balances b WHERE b.customer_id = a.customer_id AND b.month = @before) AS aumBefore,
         (SELECT b.aum FROM balances b WHERE b.customer_id = a.customer_id AND b.month = @after) AS aumAfter
       FROM universal_control_assignments a WHERE a.period_id = @period`,
    )
    .all({ period: period.periodId, from, to: measuredTo, before: window.beforeMonth, after: window.afterMonth }) as {
    id: string;
    grp: 'target' | 'control';
    response: number | null;
    amount: number;
    opened: number;
    aumBefore: number | null;
    aumAfter: number | null;
  }[];
  const outcomes: MemberOutcome[] = rows.map((r) => ({
    id: r.id,
    group: r.grp,
    arm: null,
    managerId: null,
    stratum: null,
    contacted: r.response !== null,
    responded: (r.response ?? 0) >= 2,
    converted: r.opened === 1,
    amount: r.amount,
    aumBefore: r.aumBefore,
    aumAfter: r.aumAfter,
  }));
  const marketed = outcomeOf(outcomes.filter((o) => o.group === 'target'));
  const holdout = outcomeOf(outcomes.filter((o) => o.group === 'control'));
  const notes: string[] = [];
  if (!measurable) notes.push(`本组自 ${from} 起生效，工作区数据截至 ${window.dataThrough ?? '（无）'}，尚未覆盖，暂无法比较；导入之后的数据后再评估`);
  else if (window.dataThrough !== null && window.dataThrough < period.endsOn) notes.push(`本期尚未结束或数据截至 ${window.dataThrough}，结果只反映已有数据`);
  const comparison = measurable && marketed.n > 0 && holdout.n > 0 ? compareRates(marketed.converted, marketed.n, holdout.converted, holdout.n, '新开产品率', '全局对照组') : null;
  return { periodId: period.periodId, from, to: period.endsOn, dataThrough: window.dataThrough, marketed, holdout, comparison, notes };
}
