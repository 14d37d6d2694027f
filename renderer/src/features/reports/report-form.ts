/**
 * The report screen's choices and the ReportSpec they make. A screen that links here (the overview, the
 * group portrait, the churn warning) puts its choice in the route query: kind, variant, segment, tag, rule
 * (JSON, as the group portrait carries it) and title.
 */
import type { LocationQuery } from 'vue-router';
import { REPORT_KINDS, type ReportFormat, type ReportKind, type ReportSpec } from '../../../../shared/reports';
import type { RuleNode } from '../../../../shared/rules';
import { ruleFromQuery } from '../../utils/rule-links';

export type GroupSource = 'segment' | 'tag' | 'rule';

export interface ReportForm {
  kind: ReportKind;
  variant: 'weekly' | 'monthly';
  /** '' for the latest month. */
  period: string;
  groupSource: GroupSource;
  segmentId: number | null;
  tagId: string | null;
  rule: RuleNode | null;
  /** '' for every community / campaign. */
  communityId: string;
  campaignId: string;
  title: string;
}

const text = (value: unknown): string | null => {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v !== '' ? v : null;
};

export function formFromQuery(query: LocationQuery): ReportForm {
  const kind = text(query.kind);
  const segment = Number(text(query.segment));
  const rule = ruleFromQuery(query.rule);
  return {
    kind: kind && (REPORT_KINDS as readonly string[]).includes(kind) ? (kind as ReportKind) : 'branch',
    variant: text(query.variant) === 'monthly' ? 'monthly' : 'weekly',
    period: '',
    groupSource: text(query.tag) ? 'tag' : rule ? 'rule' : 'segment',
    segmentId: Number.isInteger(segment) && segment > 0 ? segment : null,
    tagId: text(query.tag),
    rule,
    communityId: text(query.community) ?? '',
    campaignId: text(query.campaign) ?? '',
    title: text(query.title) ?? '',
  };
}

/** The spec of the form, or null while a group report has no group chosen. */
export function specOf(form: ReportForm): ReportSpec | null {
  const title = form.title.trim() ? { title: form.title.trim().slice(0, 80) } : {};
  switch (form.kind) {
    case 'branch':
      return { kind: 'branch', variant: form.variant, ...(form.period ? { period: form.period } : {}), ...title };
    case 'group':
      if (form.groupSource === 'segment') return form.segmentId === null ? null : { kind: 'group', segmentId: form.segmentId, ...title };
      if (form.groupSource === 'tag') return form.tagId === null ? null : { kind: 'group', tagId: form.tagId, ...title };
      return form.rule === null ? null : { kind: 'group', rule: form.rule, ...title };
    case 'community':
      return { kind: 'community', ...(form.communityId ? { id: form.communityId } : {}), ...title };
    case 'campaign':
      return { kind: 'campaign', ...(form.campaignId ? { id: form.campaignId } : {}), ...title };
    case 'churn':
      return { kind: 'churn', ...title };
  }
}

/** The chosen path without its extension, so that every format lands beside it (周报.pdf, 周报.xlsx, …). */
export function siblingPaths(path: string, formats: readonly ReportFormat[]): Partial<Record<ReportFormat, string>> {
  const base = path.replace(/\.(pdf|xlsx|pptx)$/i, '');
  return Object.fromEntries(formats.map((f) => [f, `${base}.${f}`]));
}
