/** CLI commands for the foundation: demo, import, info. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ColumnMapping, DemoResult, ImportResult, WorkspaceInfo } from '../../shared/api';
import { columnMappingSchema } from '../../shared/api';
import { isEntityKey, type EntityKey } from '../../shared/dictionary';
import type { EngineHost } from '../engine/host';
import { EngineError } from '../engine/errors';
import { describeRowError } from '../engine/import/importer';
import { BUILT_IN_TEMPLATES } from '../engine/import/templates';
import { EXIT_OK, EXIT_REJECTED, fmt, type CliOutput } from './output';
import { cliSecrets } from './passphrase';

export interface CommandArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

const str = (args: CommandArgs, key: string): string | undefined => {
  const v = args.values[key];
  return typeof v === 'string' ? v : undefined;
};

export function requireOption(args: CommandArgs, key: string, hint: string): string {
  const value = str(args, key);
  if (!value) throw new EngineError('bad_input', `缺少参数 --${key}（${hint}）`);
  return value;
}

export function intOption(args: CommandArgs, key: string, fallback: number): number {
  const value = str(args, key);
  if (value === undefined) return fallback;
  const n = Number(value.replace(/[,_]/g, ''));
  if (!Number.isInteger(n)) throw new EngineError('bad_input', `参数 --${key} 应为整数，收到“${value}”`);
  return n;
}

/** Opens (or creates) a workspace with the run's passphrase, if one was given (cli/passphrase.ts). */
export async function openWorkspace(host: EngineHost, path: string, create = false): Promise<void> {
  const absolute = resolve(path);
  const { passphrase } = cliSecrets();
  const withKey = passphrase ? { passphrase } : {};
  if (!existsSync(absolute) && create) await host.call('workspace.create', { path: absolute, ...withKey });
  else await host.call('workspace.open', { path: absolute, ...withKey });
}

export async function demoCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const path = resolve(requireOption(args, 'out', '工作区文件路径，如 demo.bpw'));
  const request = {
    path,
    customers: intOption(args, 'customers', 20_000),
    seed: intOption(args, 'seed', 20240601),
    txPerYear: intOption(args, 'tx-per-year', 60),
    dirty: args.values.dirty === true,
    encoding: args.values.gbk === true ? ('gb18030' as const) : ('utf-8' as const),
    overwrite: args.values.force === true,
    // A demo branch is for exploring, so it comes analysed (electron/engine/demo/demo-analysis.ts).
    analyze: args.values['skip-analysis'] !== true,
    // With a passphrase (--passphrase-file or BPW_PASSPHRASE) the demo workspace is created encrypted.
    ...(cliSecrets().passphrase ? { passphrase: cliSecrets().passphrase } : {}),
  };
  out.say(`正在生成示范支行：${fmt(request.customers)} 位客户，种子 ${request.seed}${request.dirty ? '，含脏数据' : ''} → ${path}`);
  const result = await host.runJob('demo.create', request, out.progress());
  out.say(`完成，用时 ${result.seconds.toFixed(1)} 秒。`);
  for (const imported of result.imports) out.say(`  ${imported.fileName}: ${imported.message}`);
  const rowErrors = result.imports.flatMap((r) => r.errors.map((e) => ({ file: r.fileName, ...e })));
  if (rowErrors.length > 0) {
    out.say(`\n导入时发现的问题（共 ${rowErrors.length} 处）：`);
    for (const e of rowErrors.slice(0, 200)) out.say(`  ${e.file} ${describeRowError(e)}`);
  }
  if (result.analysis) printDemoAnalysis(out, result.analysis);
  await openWorkspace(host, path);
  const info = await host.call('workspace.info', {});
  printTables(out, info);
  return out.finish({
    ok: true,
    path,
    customers: result.customers,
    seconds: result.seconds,
    tables: Object.fromEntries(info.tables.map((t) => [t.table, t.rows])),
    imports: result.imports.map(summariseImport),
    defects: result.defects,
    analysis: result.analysis,
  });
}

function printDemoAnalysis(out: CliOutput, analysis: NonNullable<DemoResult['analysis']>): void {
  const a = analysis.analysis;
  const model = analysis.churnModel;
  const scores = analysis.churnScores;
  if (a) out.say(`  客户分析 #${a.runId}（数据截至 ${a.asOf}）`);
  if (model) out.say(`  流失模型 #${model.modelId}，ROC AUC ${Number(model.rocAuc).toFixed(3)}`);
  if (scores) out.say(`  流失打分 #${scores.runId}：打分 ${fmt(Number(scores.scored))} 位，流失风险为高的 ${fmt(Number(scores.high))} 位；已流失、沉睡的 ${fmt(Number(scores.lost))} 位不打分，另列挽回名单`);
}

export async function importCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const workspace = resolve(requireOption(args, 'workspace', '工作区文件，如 branch.bpw'));
  const created = !existsSync(workspace);
  let exitCode: number | undefined;
  try {
    exitCode = await importInto(host, workspace, args, out);
    return exitCode;
  } finally {
    // A new workspace that received nothing was most likely a mistyped path: leave no empty file behind.
    if (created && exitCode !== EXIT_OK) await removeCreatedWorkspace(host, workspace);
  }
}

async function removeCreatedWorkspace(host: EngineHost, path: string): Promise<void> {
  await host.call('workspace.close', {}).catch(() => undefined);
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

async function importInto(host: EngineHost, workspace: string, args: CommandArgs, out: CliOutput): Promise<number> {
  await openWorkspace(host, workspace, true);
  const recipe = str(args, 'recipe');
  if (recipe) {
    const dir = resolve(requireOption(args, 'dir', '包含数据文件的文件夹'));
    if (recipe !== 'berka' && recipe !== 'uci-bank') throw new EngineError('bad_input', `没有名为“${recipe}”的导入方案。可用：berka、uci-bank`);
    const results = await host.runJob('import.recipe', { recipe, dir }, out.progress());
    results.forEach((r) => printImport(out, r));
    const rejected = results.some((r) => r.status === 'rejected');
    return out.finish({ ok: !rejected, imports: results.map(summariseImport) }, rejected ? EXIT_REJECTED : EXIT_OK);
  }
  const entity = requireOption(args, 'entity', '导入到哪张表，如 customers、transactions');
  if (!isEntityKey(entity)) throw new EngineError('bad_input', `未知的数据类型“${entity}”。可用：communities、managers、customers、products、holdings、balances、transactions、interactions、campaign_responses`);
  const file = resolve(requireOption(args, 'file', '要导入的 CSV/XLSX 文件'));
  const policy = str(args, 'policy') ?? 'reject';
  if (policy !== 'reject' && policy !== 'skip-bad') throw new EngineError('bad_input', `--policy 只能是 reject（整批拒绝）或 skip-bad（跳过问题行），收到“${policy}”`);
  const mappingArg = str(args, 'mapping');
  const mapping = mappingArg ? loadMapping(mappingArg, entity) : undefined;
  const delimiter = str(args, 'delimiter');
  const result = await host.runJob(
    'import.run',
    {
      file,
      entity,
      policy,
      ...(mapping ? { mapping } : {}),
      ...(str(args, 'sheet') ? { sheet: str(args, 'sheet') } : {}),
      ...(str(args, 'encoding') ? { encoding: str(args, 'encoding') as 'utf-8' } : {}),
      ...(delimiter ? { delimiter: (delimiter === 'tab' ? '\t' : delimiter) as ',' } : {}),
    },
    out.progress(),
  );
  printImport(out, result);
  return out.finish({ ok: result.status === 'committed', ...summariseImport(result) }, result.status === 'rejected' ? EXIT_REJECTED : EXIT_OK);
}

export async function infoCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const workspace = resolve(requireOption(args, 'workspace', '工作区文件，如 branch.bpw'));
  await openWorkspace(host, workspace);
  const info = await host.call('workspace.info', {});
  out.say(`工作区：${info.path}`);
  out.say(`结构版本：${info.schemaVersion}`);
  printTables(out, info);
  if (info.imports.length > 0) {
    out.say('\n导入记录（最近的在前）：');
    for (const b of info.imports.slice(0, 30)) {
      out.say(`  #${b.batchId} ${b.finishedAt.slice(0, 19).replace('T', ' ')} ${b.entity} ${b.fileName} ${b.status === 'committed' ? '已导入' : '已拒绝'} ${fmt(b.rowsLoaded)}/${fmt(b.rowsRead)} 行 sha256=${b.fileSha256.slice(0, 12)}…`);
    }
  }
  return out.finish({ ok: true, path: info.path, schemaVersion: info.schemaVersion, tables: Object.fromEntries(info.tables.map((t) => [t.table, t.rows])), imports: info.imports });
}

export function loadMapping(nameOrPath: string, entity: EntityKey): ColumnMapping {
  const builtIn = BUILT_IN_TEMPLATES.find((t) => t.name === nameOrPath);
  if (builtIn) {
    if (builtIn.entity !== entity) throw new EngineError('bad_input', `内置模板“${nameOrPath}”用于 ${builtIn.entity}，不能用于 ${entity}`);
    return builtIn.mapping;
  }
  const path = resolve(nameOrPath);
  if (!existsSync(path)) throw new EngineError('bad_input', `找不到映射文件“${nameOrPath}”。可用的内置模板：${BUILT_IN_TEMPLATES.map((t) => t.name).join('、')}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new EngineError('bad_input', `映射文件“${nameOrPath}”不是有效的 JSON：${(error as Error).message}`);
  }
  // Accept a bare mapping or a saved template ({ name, entity, mapping }). A file with only value maps
  // ({ "values": { "gender": { "0": "M", "1": "F" } } }) keeps the automatic column matching.
  const inner = parsed && typeof parsed === 'object' && 'mapping' in parsed ? (parsed as { mapping: unknown }).mapping : parsed;
  const candidate = inner && typeof inner === 'object' && !('columns' in inner) ? { ...inner, columns: {} } : inner;
  const result = columnMappingSchema.safeParse(candidate);
  if (!result.success) throw new EngineError('bad_input', `映射文件“${nameOrPath}”格式不正确：${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
  return result.data;
}

function printImport(out: CliOutput, result: ImportResult): void {
  out.say(`${result.fileName}: ${result.message}（用时 ${result.seconds.toFixed(1)} 秒）`);
  for (const e of result.errors.slice(0, 100)) out.say(`  ${describeRowError(e)}`);
  if (result.errorCount > 100) out.say(`  …… 共 ${fmt(result.errorCount)} 处问题，完整列表见 import_errors（批次 #${result.batchId}）`);
}

function printTables(out: CliOutput, info: WorkspaceInfo): void {
  out.say('\n各表行数：');
  for (const t of info.tables) out.say(`  ${t.label.padEnd(8, '　')} ${t.table.padEnd(20)} ${fmt(t.rows).padStart(12)}`);
}

function summariseImport(result: ImportResult) {
  return {
    batchId: result.batchId,
    entity: result.entity,
    file: result.fileName,
    status: result.status,
    rowsRead: result.rowsRead,
    rowsLoaded: result.rowsLoaded,
    rowsRejected: result.rowsRejected,
    errorCount: result.errorCount,
    errors: result.errors,
    seconds: result.seconds,
    encoding: result.encoding,
    delimiter: result.delimiter,
    sha256: result.fileSha256,
  };
}
