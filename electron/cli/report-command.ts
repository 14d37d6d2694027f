/**
 * CLI commands of reports (see shared/reports.ts); joined into electron/cli.ts.
 *
 *   report --workspace W.bpw --kind branch|group|community|campaign|churn --out F.pdf [--xlsx F.xlsx] [--pptx F.pptx]
 *          [--period 2026-10] [--variant weekly|monthly]           (branch)
 *          [--segment ID | --tag ID | --rule JSON] [--title T]    (group)
 *          [--id 社区编号 | 活动编号]                              (community, campaign; all of them without)
 *   overview --workspace W.bpw                                     the branch overview's KPIs, refreshed
 *
 * --out takes a .pdf, .xlsx or .pptx name; --xlsx and --pptx add the other formats. With --json the last
 * line of stdout lists `files`, each with its path, sha256 and pages (PDF), sheets (XLSX) or slides (PPTX).
 * PDFs are printed by the installed Chromium (CHROMIUM_PATH, /usr/bin/chromium by default).
 */
import { extname, resolve } from 'node:path';
import { measureHeader, formatMeasure, type MeasureKey } from '../../shared/glossary';
import { REPORT_KINDS, REPORT_KIND_LABELS, type ReportKind, type ReportSpec } from '../../shared/reports';
import type { RuleNode } from '../../shared/rules';
import { EngineError } from '../engine/errors';
import type { EngineHost } from '../engine/host';
import type { CommandArgs, CommandGroup } from './command';
import { fmt, type CliOutput } from './output';
import { intOption, openWorkspace, requireOption } from './workspace-commands';

const str = (args: CommandArgs, key: string): string | undefined => {
  const v = args.values[key];
  return typeof v === 'string' ? v : undefined;
};

function kindOption(args: CommandArgs): ReportKind {
  const kind = requireOption(args, 'kind', `报告类型：${REPORT_KINDS.join('|')}`);
  if (!(REPORT_KINDS as readonly string[]).includes(kind)) throw new EngineError('bad_input', `--kind 只能是 ${REPORT_KINDS.map((k) => `${k}（${REPORT_KIND_LABELS[k]}）`).join('、')}，收到“${kind.slice(0, 40)}”`);
  return kind as ReportKind;
}

function ruleOption(args: CommandArgs): RuleNode | undefined {
  const text = str(args, 'rule');
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as RuleNode;
  } catch {
    throw new EngineError('bad_input', `--rule 应为 JSON 格式的筛选规则，例如 '{"field":"value_tier","op":"in","value":["wealth","private"]}'，收到“${text.slice(0, 60)}”`);
  }
}

/** The files to write, by format: --out by its extension, plus --xlsx and --pptx. */
function outputs(args: CommandArgs): { pdf?: string; xlsx?: string; pptx?: string } {
  const files: { pdf?: string; xlsx?: string; pptx?: string } = {};
  const out = str(args, 'out');
  if (out !== undefined) {
    const ext = extname(out).toLowerCase().slice(1);
    if (ext !== 'pdf' && ext !== 'xlsx' && ext !== 'pptx') throw new EngineError('bad_input', `--out 应以 .pdf、.xlsx 或 .pptx 结尾，收到“${out.slice(0, 80)}”`);
    files[ext] = resolve(out);
  }
  for (const format of ['xlsx', 'pptx'] as const) {
    const path = str(args, format);
    if (path === undefined) continue;
    if (files[format] !== undefined) throw new EngineError('bad_input', `--out 和 --${format} 指定了两个 ${format.toUpperCase()} 文件，请只保留一个`);
    files[format] = resolve(path);
  }
  if (Object.keys(files).length === 0) throw new EngineError('bad_input', '缺少参数 --out（报告文件，如 周报.pdf；可另加 --xlsx 附表.xlsx、--pptx 周会.pptx）');
  return files;
}

export function reportSpec(args: CommandArgs): ReportSpec {
  const kind = kindOption(args);
  const variant = str(args, 'variant');
  if (variant !== undefined && variant !== 'weekly' && variant !== 'monthly') throw new EngineError('bad_input', `--variant 只能是 weekly（一页纸周报）或 monthly（月报），收到“${variant.slice(0, 40)}”`);
  const rule = ruleOption(args);
  const segment = str(args, 'segment');
  return {
    kind,
    ...(variant ? { variant } : {}),
    ...(str(args, 'period') ? { period: str(args, 'period') } : {}),
    ...(segment !== undefined ? { segmentId: intOption(args, 'segment', 0) } : {}),
    ...(str(args, 'tag') ? { tagId: str(args, 'tag') } : {}),
    ...(rule ? { rule } : {}),
    ...(str(args, 'id') ? { id: str(args, 'id') } : {}),
    ...(str(args, 'title') ? { title: str(args, 'title') } : {}),
  };
}

async function reportCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const workspace = resolve(requireOption(args, 'workspace', '工作区文件，如 branch.bpw'));
  const spec = reportSpec(args);
  const files = outputs(args);
  await openWorkspace(host, workspace);
  out.say(`正在生成${REPORT_KIND_LABELS[spec.kind]} …`);
  const result = await host.runJob('reports.export', { spec, ...files }, out.progress());
  out.say(`\n${result.title}，用时 ${result.seconds.toFixed(1)} 秒：`);
  for (const f of result.files) {
    const size = f.pages !== undefined ? `${f.pages} 页` : f.slides !== undefined ? `${f.slides} 张幻灯片` : `${f.sheets?.length ?? 0} 个工作表`;
    out.say(`  ${f.format.toUpperCase().padEnd(5)} ${f.path}（${size}，${fmt(Math.round(f.bytes / 1024))} KB）`);
    out.say(`        SHA-256 ${f.sha256}`);
  }
  return out.finish({
    ok: true,
    kind: result.kind,
    title: result.title,
    files: result.files.map((f) => ({ format: f.format, path: f.path, sha256: f.sha256, bytes: f.bytes, ...(f.pages !== undefined ? { pages: f.pages } : {}), ...(f.sheets ? { sheets: f.sheets } : {}), ...(f.slides !== undefined ? { slides: f.slides } : {}) })),
    seconds: result.seconds,
  });
}

async function overviewCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const workspace = resolve(requireOption(args, 'workspace', '工作区文件，如 branch.bpw'));
  await openWorkspace(host, workspace);
  out.say('正在计算经营概览 …');
  const overview = await host.runJob('reports.refreshOverview', {}, out.progress());
  out.say(`\n${overview.branchName} 经营概览，数据截至 ${overview.asOf}：`);
  for (const kpi of overview.kpis) {
    if (kpi.value === null) continue;
    out.say(`  ${measureHeader(kpi.measure as MeasureKey).padEnd(16, '　')} ${formatMeasure(kpi.measure as MeasureKey, kpi.value)}`);
  }
  return out.finish({
    ok: true,
    as_of: overview.asOf,
    population: overview.population,
    kpis: Object.fromEntries(overview.kpis.map((k) => [k.key, { value: k.value, mom: k.mom, ytd: k.ytd }])),
    churn: overview.churn,
    checklist: overview.checklist.map((c) => ({ step: c.step, done: c.done })),
  });
}

export const reportsCli: CommandGroup = {
  commands: { report: reportCommand, overview: overviewCommand },
  options: {
    kind: { type: 'string' },
    id: { type: 'string' },
    rule: { type: 'string' },
    segment: { type: 'string' },
    tag: { type: 'string' },
    period: { type: 'string' },
    variant: { type: 'string' },
    title: { type: 'string' },
    xlsx: { type: 'string' },
    pptx: { type: 'string' },
  },
  usage: `  report  生成报告（PDF / Excel 附表 / PPT）
                                 --workspace W.bpw --kind branch|group|community|campaign|churn --out 报告.pdf [--xlsx 附表.xlsx] [--pptx 周会.pptx]
                                 branch：[--period 2026-10] [--variant weekly|monthly]；group：--segment 编号 | --tag 标签 | --rule JSON
                                 community / campaign：[--id 社区编号 | 活动编号]（不指定时为全部）
  overview 经营概览（KPI）       --workspace W.bpw`,
};
