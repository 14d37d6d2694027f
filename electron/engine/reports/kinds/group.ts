/**
 * The group portrait report (群体画像报告): any saved segment, tag or rule beside the whole branch, from the
 * engine's group portrait (analytics/group-portrait.ts, the screen's own figures). It opens with the
 * compact comparison every analyst asks for — each dimension's categories with 本群体 / 全行 / TGI on one
 * page — followed by one chart per dimension.
 *
 * TGI = the group's share ÷ the branch's share × 100: above 100 the trait is more common in the group.
 * Differences under 3 percentage points are not called out as traits (they are noise on a few hundred).
 */
import type { GroupPortrait } from '../../../../shared/analytics';
import { MEASURES } from '../../../../shared/glossary';
import type { ParsedReportSpec } from '../../../../shared/reports';
import type { RuleNode } from '../../../../shared/rules';
import { groupPortrait } from '../../analytics/group-portrait';
import type { Db } from '../../db/workspace';
import { EngineError } from '../../errors';
import { pct, people } from '../document/format';
import type { Chart, Figure, ReportDocument, Table } from '../document/model';
import type { ReportContext } from './context';

/** Below this difference in shares a category is not reported as a trait of the group. */
export const TRAIT_MIN_POINTS = 0.03;

interface Target {
  rule: RuleNode;
  name: string;
}

export function groupTarget(db: Db, spec: ParsedReportSpec): Target {
  if (spec.segmentId !== undefined) {
    const row = db.prepare('SELECT name FROM segments WHERE segment_id = ?').get(spec.segmentId) as { name: string } | undefined;
    if (!row) throw new EngineError('not_found', `找不到编号为 ${spec.segmentId} 的客群，请在“客户分群”中确认后重试`);
    return { rule: { field: 'segment', op: '=', value: spec.segmentId }, name: row.name };
  }
  if (spec.tagId !== undefined) {
    const row = db.prepare('SELECT name FROM tags WHERE tag_id = ?').get(spec.tagId) as { name: string } | undefined;
    if (!row) throw new EngineError('not_found', `找不到标签“${spec.tagId.slice(0, 40)}”，请在“标签”中确认后重试`);
    return { rule: { field: 'tag', op: 'has_tag', value: spec.tagId }, name: row.name };
  }
  if (spec.rule !== undefined) return { rule: spec.rule, name: spec.title ?? '' };
  throw new EngineError('bad_input', '群体画像报告需要指定一个客群、一个标签或一条筛选规则');
}

export function tgi(group: number, branch: number): number | null {
  return branch > 0 ? (group / branch) * 100 : null;
}

interface Trait {
  dimension: string;
  label: string;
  group: number;
  branch: number;
}

function traits(portrait: GroupPortrait): Trait[] {
  return portrait.dimensions
    .flatMap((d) => d.group.map((g, i) => ({ dimension: d.label, label: g.label, group: g.share, branch: d.branch[i]?.share ?? 0 })))
    .filter((t) => t.group - t.branch >= TRAIT_MIN_POINTS && t.label !== '其他')
    .sort((a, b) => b.group - b.branch - (a.group - a.branch));
}

function comparisonTable(portrait: GroupPortrait): Table {
  const rows = portrait.dimensions.flatMap((d) =>
    d.group
      .map((g, i) => ({ g, b: d.branch[i] }))
      .filter(({ g, b }) => g.count > 0 || (b?.count ?? 0) > 0)
      .map(({ g, b }, i) => ({ dimension: i === 0 ? d.label : '', label: g.label, count: g.count, group: g.share, branch: b?.share ?? 0, tgi: tgi(g.share, b?.share ?? 0) })),
  );
  return {
    id: 'comparison',
    title: '群体与全行对比（维度 × 本群体 / 全行 / TGI）',
    sheet: '对比表',
    dense: true,
    columns: [
      { key: 'dimension', label: '维度', kind: 'text', width: 26 },
      { key: 'label', label: '类别', kind: 'text', width: 22 },
      { key: 'count', label: '本群体人数（渠道为笔数）', kind: 'int' },
      { key: 'group', label: '本群体占比', kind: 'pct' },
      { key: 'branch', label: '全行占比', kind: 'pct' },
      { key: 'tgi', label: 'TGI', kind: 'int' },
    ],
    rows,
    note: `${MEASURES.tgi.description}。产品持有率一行是持有该类产品的客户占比，一位客户可持有多类。`,
  };
}

function dimensionChart(d: GroupPortrait['dimensions'][number]): Chart {
  const many = d.group.length > 8;
  return {
    id: `dimension-${d.key}`,
    title: d.label,
    type: many ? 'barH' : 'bar',
    categories: d.group.map((g) => g.label),
    series: [
      { name: '本群体', values: d.group.map((g) => g.share) },
      { name: '全行', values: d.branch.map((b) => b.share) },
    ],
    valueKind: 'pct',
    unit: '',
    half: !many,
    height: many ? Math.max(200, 26 * d.group.length + 40) : 200,
  };
}

export function groupReport(db: Db, spec: ParsedReportSpec, context: ReportContext, asOf: string): ReportDocument {
  const target = groupTarget(db, spec);
  const portrait = groupPortrait(db, { filter: target.rule, ...(target.name ? { description: target.name } : {}) });
  const name = target.name || portrait.description;
  const share = portrait.branchSize > 0 ? portrait.size / portrait.branchSize : null;
  const found = traits(portrait).slice(0, 3);
  const aum = portrait.summary.find((s) => s.key === 'avg_aum');
  const figures: Figure[] = portrait.summary.map((s) => ({
    label: s.key === 'avg_aum' ? `${MEASURES.aum_per_customer.label}` : s.label,
    value: s.group,
    kind: s.unit === '元' ? 'wan' : s.unit === '比例' ? 'pct' : s.unit === '个' ? 'ratio' : 'int',
    unit: s.unit === '元' ? '万元' : s.unit === '比例' ? '' : s.unit,
    change: s.branch === null ? undefined : `全行 ${s.unit === '元' ? `${((s.branch ?? 0) / 10_000).toFixed(2)} 万元` : s.unit === '比例' ? pct(s.branch) : s.unit === '个' ? (s.branch ?? 0).toFixed(2) : `${Math.round(s.branch ?? 0).toLocaleString('zh-CN')} ${s.unit}`}`,
    tone: 'neutral',
  }));
  const traitText = found.length > 0 ? `与全行相比最突出的特征：${found.map((t) => `${t.dimension}“${t.label}”占 ${pct(t.group)}（全行 ${pct(t.branch)}）`).join('；')}。` : '各维度与全行的差异都在 3 个百分点以内，没有突出的特征。';
  const ratio = aum && aum.group !== null && aum.branch ? aum.group / aum.branch : null;
  const highlights = [
    `本群体 ${people(portrait.size)}，占全行 ${pct(share)}。`,
    ...(ratio !== null ? [`户均资产 ${((aum!.group ?? 0) / 10_000).toFixed(2)} 万元，是全行平均的 ${ratio.toFixed(2)} 倍。`] : []),
    traitText,
  ];
  const charts = portrait.dimensions.map(dimensionChart);
  return {
    kind: 'group',
    title: spec.title ?? `群体画像报告：${name}`,
    subtitle: `筛选条件：${portrait.description}`,
    branchName: context.branchName,
    asOf,
    generatedAt: context.generatedAt,
    masked: context.masked,
    highlights,
    sections: [
      { id: 'summary', title: '群体概况', narrative: highlights.join(''), blocks: [{ type: 'figures', figures }] },
      { id: 'comparison', title: '对比表', narrative: '每个维度各类别在本群体和全行中的占比；TGI 高于 120 或低于 80 的类别值得关注。', blocks: [{ type: 'table', table: comparisonTable(portrait) }], pageBreak: true },
      { id: 'dimensions', title: '分维度对比', narrative: traitText, blocks: charts.map((chart) => ({ type: 'chart' as const, chart })), pageBreak: true },
    ],
    notes: [
      '群体按报告生成时的最新客户分析、标签和客群计算，与“群体画像”页面同一口径。',
      `${MEASURES.tgi.label}：${MEASURES.tgi.description}。差异小于 3 个百分点的类别不作为特征列出。`,
      '户均资产为近3个月日均资产，金额单位万元。',
    ],
  };
}
