/**
 * An audit entry as one sentence an analyst or a compliance officer reads without the parameters
 * (issue #14): "导出客户清单 1,050 行，筛选：性别 等于 女，已脱敏". Written with the entry, so it says what the
 * filter meant at that moment; entries written before summaries existed are described when read.
 *
 * A capability that audits an action of its own can pass `summary` to appendAudit; otherwise its entry
 * reads "<动作> N 行" from the generic branch below.
 */
import { entity, isEntityKey } from '../../../shared/dictionary';

export interface AuditFacts {
  action: string;
  params: Record<string, unknown>;
  rowCount: number | null;
  reason: string | null;
}

const n = (value: number) => value.toLocaleString('zh-CN');
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Cuts echoed user text so that a pasted paragraph does not become the sentence. */
export function clip(value: string, max = 60): string {
  const chars = [...value];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : value;
}

const baseName = (path: unknown): string | null => {
  const p = text(path);
  return p ? (p.split(/[\\/]/).pop() ?? p) : null;
};

const ACTION_NAMES: Readonly<Record<string, string>> = {
  import: '导入数据',
  export: '导出',
  unmask: '查看敏感信息',
  'settings.change': '修改设置',
  'analysis.run': '客户分析',
  'model.train': '训练流失模型',
  'segments.save': '保存客群',
  'segments.saveClusters': '保存聚类客群',
  'segments.delete': '删除客群',
  'tags.save': '保存规则标签',
  'tags.delete': '删除标签',
  'audit.verify': '校验审计日志',
  'workspace.backup': '备份工作区',
  'workspace.restore': '从备份恢复',
  'workspace.encrypt': '加密工作区',
  'workspace.rekey': '更改工作区口令',
  'workspace.decryptCopy': '导出解密副本',
};

export function actionName(action: string): string {
  return ACTION_NAMES[action] ?? action;
}

const SETTING_NAMES: Readonly<Record<string, string>> = {
  locale: '界面语言',
  maskPii: '个人信息脱敏',
  tiers: '价值分层起点',
  rfm: 'RFM 模型',
  lifecycle: '生命周期',
  churn: '流失预警',
  suitability: '适当性规则',
  value: '客户价值参数',
  matching: '产品匹配',
  campaigns: '营销活动',
  community: '社区营销',
  reports: '报告',
  security: '安全设置',
};

const EXPORT_KINDS: Readonly<Record<string, string>> = { customers: '客户清单', 'import-errors': '导入错误明细', rows: '数据表' };

function describeImport(p: Record<string, unknown>, rows: number | null): string {
  const key = text(p.entity);
  const what = key && isEntityKey(key) ? entity(key).label : '数据';
  const file = baseName(p.file) ?? '文件';
  if (p.status === 'rejected') return `导入${what}被整批拒绝（${file}），${n(num(p.rowsRejected) ?? 0)} 行有问题，未写入任何数据`;
  const skipped = num(p.rowsRejected) ?? 0;
  return `导入${what} ${n(rows ?? 0)} 行（${file}）${skipped > 0 ? `，跳过问题行 ${n(skipped)} 行` : ''}`;
}

function describeExport(p: Record<string, unknown>, rows: number | null, reason: string | null): string {
  const kind = text(p.kind) ?? 'rows';
  const title = kind === 'rows' && text(p.title) ? `“${clip(text(p.title)!, 30)}”` : (EXPORT_KINDS[kind] ?? kind);
  const parts = [`导出${title} ${n(rows ?? 0)} 行`];
  if (text(p.filter) && p.filter !== '全部客户') parts.push(`筛选：${clip(text(p.filter)!, 80)}`);
  if (text(p.search)) parts.push(`搜索：${clip(text(p.search)!, 20)}`);
  if (num(p.batchId) !== null) parts.push(`批次 #${num(p.batchId)}`);
  if (p.masked === true) parts.push('已脱敏');
  if (p.masked === false) parts.push('未脱敏');
  if (reason && p.masked === false) parts.push(`用途：${clip(reason)}`);
  const file = baseName(p.file);
  if (file) parts.push(`文件 ${file}`);
  return parts.join('，');
}

function onOff(value: unknown): string | null {
  return typeof value === 'boolean' ? (value ? '开启' : '关闭') : null;
}

function describeSettings(p: Record<string, unknown>): string {
  const changes = Object.entries(p).map(([key, change]) => {
    const name = SETTING_NAMES[key] ?? key;
    const c = change as { from?: unknown; to?: unknown } | null;
    const from = onOff(c?.from);
    const to = onOff(c?.to);
    return from && to ? `${name} ${from}→${to}` : name;
  });
  return `修改设置：${changes.join('、') || '（无）'}`;
}

function describeSegmentsOrTags(action: string, p: Record<string, unknown>, rows: number | null): string {
  const name = text(p.name) ? `“${clip(text(p.name)!, 30)}”` : '';
  const count = rows !== null ? `，${n(rows)} 位客户` : '';
  if (action === 'segments.saveClusters') {
    const segments = Array.isArray(p.segments) ? p.segments.length : 0;
    return `保存 ${n(segments)} 个聚类客群${count}`;
  }
  return `${actionName(action)}${name}${action.endsWith('.delete') ? '' : count}`;
}

function describeSecurity(action: string, p: Record<string, unknown>): string {
  const file = baseName(p.file);
  switch (action) {
    case 'audit.verify':
      return p.ok === true ? `校验审计日志：${n(num(p.rows) ?? 0)} 条记录完整` : `校验审计日志：发现问题${num(p.firstBreakId) !== null ? `，第一处断链在记录 #${num(p.firstBreakId)}` : ''}`;
    case 'workspace.backup':
      return `备份工作区${file ? `到 ${file}` : ''}${p.encrypted === true ? '（加密）' : ''}`;
    case 'workspace.restore':
      return `从备份${file ? ` ${file} ` : ''}恢复工作区`;
    case 'workspace.encrypt':
      return '为工作区设置口令并加密';
    case 'workspace.rekey':
      return '更改工作区口令';
    case 'workspace.decryptCopy':
      return `导出工作区的未加密副本${file ? `到 ${file}` : ''}`;
    default:
      return actionName(action);
  }
}

/** One sentence in Chinese for an audit entry. */
export function describeAudit(facts: AuditFacts): string {
  const { action, params: p, rowCount: rows, reason } = facts;
  switch (action) {
    case 'import':
      return describeImport(p, rows);
    case 'export':
      return describeExport(p, rows, reason);
    case 'unmask':
      return `查看客户 ${text(p.customerId) ?? ''} 的完整个人信息${reason ? `，原因：${clip(reason)}` : ''}`;
    case 'settings.change':
      return describeSettings(p);
    case 'analysis.run':
      return `客户分析 #${num(p.runId) ?? '—'}（数据截至 ${text(p.asOf) ?? '—'}），${n(rows ?? 0)} 位客户`;
    case 'model.train': {
      const auc = num(p.rocAuc);
      return `训练流失模型 #${num(p.modelId) ?? '—'}，样本 ${n(rows ?? 0)} 位${auc !== null ? `，ROC AUC ${auc.toFixed(3)}` : ''}`;
    }
    case 'segments.save':
    case 'segments.saveClusters':
    case 'segments.delete':
    case 'tags.save':
    case 'tags.delete':
      return describeSegmentsOrTags(action, p, rows);
    case 'audit.verify':
    case 'workspace.backup':
    case 'workspace.restore':
    case 'workspace.encrypt':
    case 'workspace.rekey':
    case 'workspace.decryptCopy':
      return describeSecurity(action, p);
    default:
      return `${actionName(action)}${rows !== null ? ` ${n(rows)} 行` : ''}`;
  }
}
