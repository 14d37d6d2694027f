/**
 * The workbench's command line: the same engine as the app, for scripted and batch work.
 *
 *   npm run cli -- demo   --out W.bpw [--customers N] [--seed S] [--tx-per-year T] [--dirty] [--gbk] [--force] [--skip-analysis]
 *   npm run cli -- import --workspace W.bpw --entity customers --file F.csv [--mapping M.json|template]
 *                         [--policy reject|skip-bad] [--sheet S] [--encoding utf-8|gb18030] [--delimiter ,|tab|;||]
 *   npm run cli -- import --workspace W.bpw --recipe berka|uci-bank --dir FOLDER
 *   npm run cli -- info   --workspace W.bpw
 *   npm run cli -- churn  train --workspace W.bpw [--horizon 3] [--trees 200] [--seed 1]
 *   npm run cli -- churn  score --workspace W.bpw [--model ID]
 *   npm run cli -- churn  lost  --workspace W.bpw [--group gone|recoverable] [--limit 20]
 *   npm run cli -- forest evaluate --file F.csv --target COL [--test-file T.csv] [--exclude a,b] [--test-share 0.2] [--seed 1] [--trees 100]
 *   npm run cli -- segment --workspace W.bpw [--k K] [--features a,b,c] [--seed S]
 *   npm run cli -- analyze --workspace W.bpw [--as-of YYYY-MM]
 *
 * Every command takes --json: one JSON object as the last line of stdout. Exit codes: 0 success,
 * 2 rejected input, 1 internal error.
 */
import { parseArgs } from 'node:util';
import { EngineHost } from './engine/host';
import { EngineError } from './engine/errors';
import { ChromiumPrinter } from './engine/reports/render/chromium-printer';
import { CliOutput, EXIT_REJECTED } from './cli/output';
import { analyzeCommand } from './cli/analyze-command';
import { segmentCommand } from './cli/segment-command';
import { churnCommand, forestCommand } from './cli/churn-commands';
import { demoCommand, importCommand, infoCommand } from './cli/workspace-commands';
import type { Command, CommandArgs, CommandGroup, CommandOptions } from './cli/command';
import { campaignsCli } from './cli/campaign-commands';
import { communityCli } from './cli/community-commands';
import { matchingCli } from './cli/match-commands';
import { reportsCli } from './cli/report-command';
import { securityCli } from './cli/security-commands';
import { configureCliSecrets } from './cli/passphrase';
import { grantArguments } from './cli/grants';

/** Capabilities that bring their own commands, options and usage lines. */
const GROUPS: readonly CommandGroup[] = [matchingCli, campaignsCli, communityCli, reportsCli, securityCli];

const COMMANDS: Record<string, Command> = {
  demo: demoCommand,
  import: importCommand,
  info: infoCommand,
  analyze: analyzeCommand,
  segment: segmentCommand,
  churn: churnCommand,
  forest: forestCommand,
  ...Object.assign({}, ...GROUPS.map((g) => g.commands)),
};

const OPTIONS: CommandOptions = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  out: { type: 'string' },
  customers: { type: 'string' },
  seed: { type: 'string' },
  'tx-per-year': { type: 'string' },
  dirty: { type: 'boolean' },
  gbk: { type: 'boolean' },
  force: { type: 'boolean' },
  'skip-analysis': { type: 'boolean' },
  workspace: { type: 'string' },
  entity: { type: 'string' },
  file: { type: 'string' },
  mapping: { type: 'string' },
  policy: { type: 'string' },
  sheet: { type: 'string' },
  encoding: { type: 'string' },
  delimiter: { type: 'string' },
  recipe: { type: 'string' },
  dir: { type: 'string' },
  'as-of': { type: 'string' },
  k: { type: 'string' },
  features: { type: 'string' },
  horizon: { type: 'string' },
  trees: { type: 'string' },
  model: { type: 'string' },
  target: { type: 'string' },
  exclude: { type: 'string' },
  'test-share': { type: 'string' },
  'max-depth': { type: 'string' },
  'min-samples-leaf': { type: 'string' },
  'n-jobs': { type: 'string' },
  'test-file': { type: 'string' },
  categorical: { type: 'string' },
  'class-weight': { type: 'string' },
  group: { type: 'string' },
  limit: { type: 'string' },
  'passphrase-file': { type: 'string' },
  ...Object.assign({}, ...GROUPS.map((g) => g.options)),
};

const USAGE = `用法：npm run cli -- <命令> [参数]

命令：
  demo    生成示范支行工作区     --out W.bpw [--customers 20000] [--seed 20240601] [--tx-per-year 60] [--dirty] [--gbk] [--force]
          导入后完成客户分析、流失模型训练与打分、产品匹配；只要原始数据时加 --skip-analysis
  import  导入文件               --workspace W.bpw --entity customers --file F.csv [--mapping M.json] [--policy reject|skip-bad]
          按方案导入一组文件     --workspace W.bpw --recipe berka|uci-bank --dir 文件夹
  info    查看工作区             --workspace W.bpw
  churn   训练流失模型           train --workspace W.bpw [--horizon 3] [--trees 200] [--seed 1] [--max-depth 12] [--min-samples-leaf 5]
          流失打分               score --workspace W.bpw [--model 模型编号]
          已流失/可挽回客户名单  lost --workspace W.bpw [--group gone|recoverable] [--limit 20]
  forest  在 CSV/XLSX 上评估随机森林  evaluate --file F.csv --target 列名 [--test-file T.csv] [--exclude a,b] [--test-share 0.2] [--seed 1]
                                 [--trees 100] [--max-depth 12|none] [--min-samples-leaf 2] [--n-jobs auto] [--categorical onehot|ordinal]
          给了 --test-file 时，用 --file 全部行训练、在检验文件上评估（两个文件表头一致）
  segment 客户分群（K-means）    --workspace W.bpw [--k 5] [--features aum_avg_3m,txn_count_90d,age] [--seed 1]
          不指定 --k 时按轮廓系数在 2–10 中推荐分群数；需先运行客户分析
  analyze 客户分析（特征、RFM、价值分层、生命周期、标签）
                                 --workspace W.bpw [--as-of 2024-06]（默认为余额数据的最新完整月份）

${GROUPS.map((g) => g.usage.trimEnd()).filter((u) => u !== '').map((u) => `${u}\n`).join('')}
打开工作区的命令都支持 --passphrase-file 口令文件（或环境变量 BPW_PASSPHRASE），用于加密的工作区；
口令不能直接写在命令行上。
所有命令都支持 --json：标准输出的最后一行是一个 JSON 对象。
退出码：0 成功，2 输入被拒绝，1 内部错误。`;

async function main(argv: string[]): Promise<number> {
  const jsonRequested = argv.includes('--json');
  const out = new CliOutput(jsonRequested);
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return out.fail(new EngineError('bad_input', `参数有误：${(error as Error).message}\n\n${USAGE}`));
  }
  const [name, ...positionals] = parsed.positionals;
  if (!name || parsed.values.help) {
    out.say(USAGE);
    return name ? 0 : EXIT_REJECTED;
  }
  const command = COMMANDS[name];
  if (!command) return out.fail(new EngineError('bad_input', `未知命令“${name}”\n\n${USAGE}`));
  try {
    configureCliSecrets(parsed.values);
  } catch (error) {
    return out.fail(error);
  }

  // The engine touches only the files named on this command line (engine/security/path-grants.ts); reports
  // print with the installed Chromium, which starts only when a command prints.
  const host = new EngineHost({ fileAccess: 'granted', policy: { requireEncryption: process.env.BPW_REQUIRE_ENCRYPTION === '1' }, printer: new ChromiumPrinter() });
  grantArguments(host, parsed.values, parsed.positionals);
  try {
    return await command(host, { values: parsed.values as CommandArgs['values'], positionals }, out);
  } catch (error) {
    return out.fail(error);
  } finally {
    await host.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
