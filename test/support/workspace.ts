import { once } from 'node:events';
import { createWriteStream, writeFileSync } from 'node:fs';
import type { Db } from '../../electron/engine/db/workspace';
import { ENTITIES } from '../../shared/dictionary';

/** Row counts of every imported table: what "the workspace is unchanged" compares. */
export function dataCounts(db: Db): Record<string, number> {
  return Object.fromEntries(ENTITIES.map((e) => [e.table, (db.prepare(`SELECT count(*) AS n FROM ${e.table}`).get() as { n: number }).n]));
}

export function writeCsv(path: string, lines: string[]): string {
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

export const customerId = (i: number) => `C${String(i).padStart(6, '0')}`;

/** A customers file of `count` valid rows with Chinese headers. */
export function writeCustomers(path: string, count: number): string {
  const lines = ['客户号,客户姓名,性别,出生日期,开户日期,风险等级'];
  for (let i = 0; i < count; i++) lines.push(`${customerId(i)},客户${i},${i % 2 ? '男' : '女'},1980-01-${String(1 + (i % 28)).padStart(2, '0')},2020-05-01,稳健型`);
  return writeCsv(path, lines);
}

/** A large transactions file, streamed to disk, referencing customers 0..customers-1. */
export async function writeTransactions(path: string, rows: number, customers: number): Promise<string> {
  const out = createWriteStream(path);
  out.write('交易流水号,客户号,交易日期,交易渠道,交易类型,交易金额,借贷标志\n');
  let buffer: string[] = [];
  for (let i = 0; i < rows; i++) {
    buffer.push(`T${String(i).padStart(9, '0')},${customerId(i % customers)},2024-0${1 + (i % 9)}-1${i % 10},手机银行,消费,${(i % 997) + 0.5},借`);
    if (buffer.length === 10_000) {
      if (!out.write(`${buffer.join('\n')}\n`)) await once(out, 'drain');
      buffer = [];
    }
  }
  out.end(buffer.length > 0 ? `${buffer.join('\n')}\n` : '');
  await once(out, 'finish');
  return path;
}
