/**
 * `npm run bench import`: our importer against the floor, the sqlite3 command-line tool's `.import`.
 *
 * Both load the same generated 5-million-row transactions CSV (Chinese headers, as a core system exports
 * it). The CLI loads it into an empty table with no types, keys or checks: the fastest SQLite can take
 * text in. Ours parses, validates and types every cell, checks the customer foreign key, upserts by
 * transaction id and records the batch. A second CLI run into a table with our schema shows how much of
 * the gap is the schema's own cost.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { EngineHost } from '../../electron/engine/host';
import { suggestMapping } from '../../electron/engine/import/mapping';
import { compileCoercer, RowErrorSink } from '../../electron/engine/import/row-coercer';
import { openSource } from '../../electron/engine/import/source';
import type { CellValue } from '../../shared/values';
import { ensureAptPackage, ensureScratchDir, peakRssMb, repoRoot, writeResult } from './_util';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 5_000_000);
/** The memory bound of the foundation issue: a 10-million-row file within 1 GB peak RSS. */
const MEMORY_CHECK_ROWS = Number(process.env.BENCH_IMPORT_MEMORY_ROWS ?? 10_000_000);
const CUSTOMERS = 50_000;

const CHANNELS = ['手机银行', '柜面', 'ATM', '网银', 'POS'];
const TYPES = ['消费', '转账汇出', '转账汇入', '取现', '代发工资', '生活缴费', '理财申购'];

async function writeLines(path: string, header: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  let buffer: string[] = [];
  for (let i = 0; i < count; i++) {
    buffer.push(line(i));
    if (buffer.length === 20_000) {
      if (!out.write(`${buffer.join('\n')}\n`)) await once(out, 'drain');
      buffer = [];
    }
  }
  if (buffer.length > 0) out.write(`${buffer.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
}

const customerId = (i: number) => `C${String(i).padStart(8, '0')}`;

async function generate(dir: string, rows = ROWS): Promise<{ customers: string; transactions: string }> {
  const customers = join(dir, 'bench-customers.csv');
  const transactions = join(dir, `bench-transactions-${rows}.csv`);
  if (!existsSync(customers)) {
    await writeLines(customers, '客户号,客户姓名,性别,出生日期,开户日期,风险等级', CUSTOMERS, (i) => `${customerId(i)},客户${i},${i % 2 ? '男' : '女'},19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10},2015-03-0${1 + (i % 9)},C${1 + (i % 5)}`);
  }
  if (!existsSync(transactions)) {
    console.log(`生成 ${rows.toLocaleString('zh-CN')} 行交易流水 …`);
    const day = 86_400_000;
    const start = Date.UTC(2023, 0, 1);
    await writeLines(transactions, '交易流水号,客户号,交易日期,交易渠道,交易类型,交易金额,借贷标志,产品代码', rows, (i) => {
      const date = new Date(start + ((i * 7919) % 730) * day).toISOString().slice(0, 10);
      const amount = ((i * 37.13) % 20_000).toFixed(2);
      return `T${String(i).padStart(10, '0')},${customerId((i * 2654435761) % CUSTOMERS)},${date},${CHANNELS[i % 5]},${TYPES[i % 7]},${amount},${i % 3 === 0 ? '贷' : '借'},`;
    });
  }
  return { customers, transactions };
}

/**
 * Where the time goes: the same file read only, then read and coerced (parse, validate, type) without
 * writing. The rest of a full import is statement and index cost inside SQLite.
 */
async function stageTimings(file: string): Promise<{ readSeconds: number; readAndCoerceSeconds: number }> {
  let started = performance.now();
  let rows = 0;
  const plain = await openSource({ file });
  for await (const batch of plain.batches()) rows += batch.rows.length;
  const readSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const source = await openSource({ file });
  const coercer = compileCoercer('transactions', source.headers, suggestMapping('transactions', source.headers), { today: '2099-12-31', lookups: new Map() });
  const errors = new RowErrorSink();
  const values: CellValue[] = [];
  for await (const batch of source.batches()) {
    for (let i = 0; i < batch.rows.length; i++) coercer.coerce(batch.rows[i] as string[], batch.firstRow + i, values, 0, errors);
  }
  const readAndCoerceSeconds = (performance.now() - started) / 1000;
  if (rows !== ROWS || errors.count > 0) throw new Error(`stage timing read ${rows} rows with ${errors.count} errors`);
  return { readSeconds, readAndCoerceSeconds };
}

function memoryCheck(workspace: string, file: string): { rows: number; seconds: number; peakRssMb: number } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/bench/_import-child.ts'), workspace, file, 'transactions'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`memory check import failed (${child.status})`);
  const last = child.stdout.toString().trim().split('\n').pop() as string;
  const parsed = JSON.parse(last) as { rowsLoaded: number; seconds: number; peakRssMb: number };
  for (const s of ['', '-wal', '-shm']) rmSync(workspace + s, { force: true });
  return { rows: parsed.rowsLoaded, seconds: round(parsed.seconds), peakRssMb: parsed.peakRssMb };
}

function timeCli(db: string, commands: string[]): number {
  const started = performance.now();
  const result = spawnSync('sqlite3', [db, ...commands], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr.toString()}`);
  return (performance.now() - started) / 1000;
}

export default async function run(): Promise<void> {
  ensureAptPackage('sqlite3', 'sqlite3');
  const dir = ensureScratchDir();
  const files = await generate(dir);
  const fileBytes = statSync(files.transactions).size;

  // Ours, through the EngineHost and its job worker, exactly as the app runs it.
  const workspace = join(dir, 'bench-import.bpw');
  const withCustomers = join(dir, 'bench-customers-only.bpw');
  for (const path of [workspace, withCustomers]) for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  const host = new EngineHost();
  await host.call('workspace.create', { path: withCustomers });
  await host.runJob('import.run', { file: files.customers, entity: 'customers', policy: 'reject' });
  await host.call('workspace.close', {});
  copyFileSync(withCustomers, workspace);
  await host.call('workspace.open', { path: workspace });
  let lastPhase = '';
  const ours = await host.runJob('import.run', { file: files.transactions, entity: 'transactions', policy: 'reject' }, (phase, done, total) => {
    const line = `${phase} ${Math.floor((done / Math.max(total, 1)) * 10) * 10}%`;
    if (line !== lastPhase) console.log(`  ${line}`);
    lastPhase = line;
  });
  await host.close();
  if (ours.status !== 'committed' || ours.rowsLoaded !== ROWS) throw new Error(`import did not load every row: ${ours.message}`);
  const workerPeakRssMb = peakRssMb();

  // The floor: sqlite3 .import into an empty, untyped table.
  const bare = join(dir, 'bench-cli-bare.db');
  rmSync(bare, { force: true });
  const cliBareSeconds = timeCli(bare, ['-cmd', 'PRAGMA journal_mode=WAL', '-cmd', 'PRAGMA synchronous=NORMAL', '.mode csv', `.import ${files.transactions} transactions_raw`]);

  // For reference: sqlite3 .import into a table shaped like ours (typed columns, primary key, the customer
  // foreign key, and the (customer_id, txn_date) index built after the load as our importer does), but
  // without our value parsing: the CLI stores 借/贷 and 手机银行 as they come.
  const schema = join(dir, 'bench-cli-schema.db');
  copyFileSync(withCustomers, schema);
  const cliSchemaSeconds = timeCli(schema, [
    '-cmd', 'PRAGMA foreign_keys=ON',
    '-cmd', 'PRAGMA synchronous=NORMAL',
    '-cmd', 'CREATE TABLE cli_transactions (txn_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers (customer_id), txn_date TEXT NOT NULL, channel TEXT, type TEXT, amount REAL NOT NULL, direction TEXT, product_id TEXT)',
    '.mode csv',
    `.import --skip 1 ${files.transactions} cli_transactions`,
    'CREATE INDEX cli_transactions_customer_date ON cli_transactions (customer_id, txn_date)',
  ]);

  const sqliteVersion = execFileSync('sqlite3', ['--version']).toString().split(' ')[0];
  const ratio = ours.seconds / cliBareSeconds;

  console.log('分段计时：只读取 / 读取并校验转换 …');
  const stages = await stageTimings(files.transactions);

  let memory: { rows: number; seconds: number; peakRssMb: number } | null = null;
  if (MEMORY_CHECK_ROWS > 0) {
    console.log(`内存检查：在独立进程中导入 ${MEMORY_CHECK_ROWS.toLocaleString('zh-CN')} 行 …`);
    const big = await generate(dir, MEMORY_CHECK_ROWS);
    const memoryWorkspace = join(dir, 'bench-memory.bpw');
    copyFileSync(withCustomers, memoryWorkspace);
    memory = memoryCheck(memoryWorkspace, big.transactions);
    rmSync(big.transactions, { force: true });
  }
  const result = {
    rows: ROWS,
    fileBytes,
    ours: { seconds: round(ours.seconds), rowsPerSecond: Math.round(ROWS / ours.seconds), validation: true, peakRssMb: workerPeakRssMb },
    sqliteCli: { version: sqliteVersion, bareSeconds: round(cliBareSeconds), bareRowsPerSecond: Math.round(ROWS / cliBareSeconds), intoSchemaSeconds: round(cliSchemaSeconds) },
    ratio: round(ratio),
    ratioVsCliIntoSchema: round(ours.seconds / cliSchemaSeconds),
    costBreakdown: {
      readSeconds: round(stages.readSeconds),
      coerceSeconds: round(stages.readAndCoerceSeconds - stages.readSeconds),
      writeSeconds: round(ours.seconds - stages.readAndCoerceSeconds),
      note: 'read = decode + CSV parse; coerce = mapping, parsing and validation of every cell; write = SQLite statements, constraint checks, index build and commit',
    },
    memoryCheck: memory ? { ...memory, target: { peakRssMbAtMost: 1024, met: memory.peakRssMb <= 1024 } } : null,
    target: { ratioAtMost: 1.5, met: ratio <= 1.5 },
  };
  console.log(JSON.stringify(result, null, 2));
  writeResult('import', result);
  for (const path of [workspace, withCustomers, bare, schema]) for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
}

const round = (n: number) => Math.round(n * 1000) / 1000;
