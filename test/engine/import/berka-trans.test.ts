/**
 * The Berka recipe with transactions (issue #13 §3): the public PKDD'99 files from ../shared/datasets plus a
 * 612-line trans.asc in the genuine format (test/fixtures/berka-trans). `import --recipe berka` loads the
 * transactions through the account owners and derives monthly average balances from the running balance, so
 * that the whole analysis runs on real data: analyze, churn train and segment give non-degenerate results.
 * A trans.asc cut short in its last line is reported by that line's number and the rest loads.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliOutput } from '../../../electron/cli/output';
import { importCommand } from '../../../electron/cli/workspace-commands';
import { EngineHost } from '../../../electron/engine/host';
import { berkaTransaction } from '../../../electron/engine/import/transforms';
import { monthlyAverages } from '../../../electron/engine/import/berka-balances';
import { openWorkspace } from '../../../electron/engine/db/workspace';
import { tempDir } from '../../support/temp';

const FIXTURE = fileURLToPath(new URL('../../fixtures/berka-trans/trans.asc', import.meta.url));
const BERKA_FILES = ['district.asc', 'client.asc', 'account.asc', 'disp.asc', 'loan.asc', 'card.asc', 'order.asc'];

/** ../shared/datasets beside the repository: walks up from the test, since a worktree sits deeper. */
function berkaDir(): string {
  for (let dir = dirname(FIXTURE); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'datasets', 'berka-pkdd99');
    if (existsSync(join(candidate, 'client.asc'))) return candidate;
  }
  throw new Error('the Berka dataset (../shared/datasets/berka-pkdd99) is missing');
}

/** A folder like a user's download: the seven public files and the given trans.asc. */
function delivery(name: string, trans: string | Buffer): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const file of BERKA_FILES) copyFileSync(join(berkaDir(), file), join(dir, file));
  writeFileSync(join(dir, 'trans.asc'), trans);
  return dir;
}

const root = tempDir('bpw-berka-trans-');
const lines = readFileSync(FIXTURE, 'latin1').split('\r\n').filter((l) => l !== '');
let host: EngineHost;

beforeAll(() => {
  host = new EngineHost({ log: () => {} });
});
afterAll(() => host.close());

/** `import --recipe berka --dir D --json`, in process, with what it prints. */
async function importRecipe(workspace: string, dir: string): Promise<{ code: number; summary: { imports: { file: string; status: string; rowsRead: number; rowsLoaded: number; rowsRejected: number; errors: { row: number; message: string }[] }[] } }> {
  const stdout: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (stdout.push(String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await importCommand(host, { values: { workspace, recipe: 'berka', dir, json: true }, positionals: [] }, new CliOutput(true));
    return { code, summary: JSON.parse(stdout.join('').trim().split('\n').at(-1)!) };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('the Berka recipe with trans.asc', () => {
  it('imports the transactions and derived balances, then analysis, churn model and segments run on them', async () => {
    const workspace = join(root, 'berka.bpw');
    const { code, summary } = await importRecipe(workspace, delivery('full', readFileSync(FIXTURE)));
    expect(code).toBe(0);
    const trans = summary.imports.find((i) => i.file === 'trans.asc')!;
    expect(trans).toMatchObject({ status: 'committed', rowsRead: lines.length - 1, rowsLoaded: lines.length - 1, rowsRejected: 0 });
    const balances = summary.imports.find((i) => i.file === 'berka-balances.csv')!;
    expect(balances.status).toBe('committed');

    const db = openWorkspace(workspace);
    try {
      // PRIJEM is in, VYDAJ and VYBER out; operations and k_symbol become types and channels.
      const byType = Object.fromEntries((db.prepare('SELECT type, direction, count(*) AS n FROM transactions GROUP BY type, direction').all() as { type: string; direction: string; n: number }[]).map((r) => [`${r.type}/${r.direction}`, r.n]));
      expect(Object.keys(byType).sort()).toEqual(['cash_deposit/in', 'fee/out', 'insurance_pay/out', 'interest/in', 'loan_repay/out', 'salary/in', 'transfer_in/in', 'transfer_out/out', 'withdraw/out']);
      expect(byType['interest/in']).toBeGreaterThan(100);
      expect((db.prepare("SELECT count(*) AS n FROM transactions WHERE channel = 'atm'").get() as { n: number }).n).toBeGreaterThan(48);
      // Every account's transactions reach its owner (disp OWNER).
      const [txnId, account] = lines[1]!.split(';');
      expect(db.prepare('SELECT customer_id FROM transactions WHERE txn_id = ?').get(txnId)).toEqual({ customer_id: ownerOf(account!) });
      // Balances run monthly from the first transaction to December 1998 for every account in trans.asc.
      const months = db.prepare('SELECT count(DISTINCT customer_id) AS customers, min(month) AS first, max(month) AS last FROM balances').get();
      expect(months).toEqual({ customers: 72, first: '1997-01', last: '1998-12' });
    } finally {
      db.close();
    }

    await host.call('workspace.open', { path: workspace });
    const analysis = await host.runJob('analysis.run', {});
    expect(analysis.asOf).toBe('1998-12-31');
    const present = (counts: Record<string, number>) => Object.values(counts).filter((n) => n > 0).length;
    expect(present(analysis.counts.rfmClass)).toBeGreaterThanOrEqual(3);
    expect(present(analysis.counts.valueTier)).toBeGreaterThanOrEqual(3);

    const card = await host.runJob('churn.train', { trees: 50, laterPeriod: false });
    expect(card.samples.positives).toBeGreaterThanOrEqual(20);
    expect(card.samples.train + card.samples.test - card.samples.positives).toBeGreaterThanOrEqual(20);
    expect(card.metrics.rocAuc).toBeGreaterThan(0.5);

    const segments = await host.runJob('segments.cluster', { features: ['aum_avg_3m', 'txn_count_90d', 'days_since_last_active_txn'], k: 3, seed: 1 });
    expect(segments.clusters).toHaveLength(3);
    expect(segments.clusters.every((c) => c.size > 0)).toBe(true);
    await host.call('workspace.close', {});
  });

  it('reports a last line cut short by its line number and loads the rest under skip-bad', async () => {
    const whole = readFileSync(FIXTURE, 'latin1');
    // Cut inside the last record's quoted operation, the way a broken-off download ends.
    const last = whole.lastIndexOf('\r\n', whole.length - 3) + 2;
    const cut = whole.slice(0, whole.indexOf('"', whole.indexOf('"', last) + 1) + 4);
    const { code, summary } = await importRecipe(join(root, 'cut.bpw'), delivery('cut', Buffer.from(cut, 'latin1')));
    expect(code).toBe(0);
    const trans = summary.imports.find((i) => i.file === 'trans.asc')!;
    expect(trans).toMatchObject({ status: 'committed', rowsLoaded: lines.length - 2, rowsRejected: 1 });
    expect(trans.errors).toHaveLength(1);
    expect(trans.errors[0]!.row).toBe(lines.length);
    expect(trans.errors[0]!.message).toMatch(/^文件在这一行中途结束/);
  });
});

describe('pieces of the recipe', () => {
  it('reads operations and k_symbol as the workbench types and channels', () => {
    expect(berkaTransaction('VYBER KARTOU', '', 'VYDAJ')).toEqual({ type: 'withdraw', channel: 'atm' });
    expect(berkaTransaction('VKLAD', '', 'PRIJEM')).toEqual({ type: 'cash_deposit', channel: 'counter' });
    expect(berkaTransaction('PREVOD Z UCTU', 'DUCHOD', 'PRIJEM')).toEqual({ type: 'salary', channel: null });
    expect(berkaTransaction('PREVOD NA UCET', 'SIPO', 'VYDAJ')).toEqual({ type: 'bill_pay', channel: null });
    expect(berkaTransaction('', 'UROK', 'PRIJEM')).toEqual({ type: 'interest', channel: null });
    expect(berkaTransaction('', 'SANKC. UROK', 'VYDAJ')).toEqual({ type: 'fee', channel: null });
    expect(berkaTransaction('', '', 'VYDAJ')).toEqual({ type: 'transfer_out', channel: null });
  });

  it('averages the running balance over the days of each month', () => {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
    // 1,000 from 1 to 10 March, 4,000 from the 11th: (10 × 1000 + 21 × 4000) / 31; April holds 4,000.
    const months = monthlyAverages({ days: [day('1998-03-01'), day('1998-03-11')], balances: [1000, 4000] }, '1998-04');
    expect(months).toEqual([
      { month: '1998-03', average: Math.round(((10 * 1000 + 21 * 4000) / 31) * 100) / 100 },
      { month: '1998-04', average: 4000 },
    ]);
  });
});

/** The owner of an account, from the dataset's disp.asc. */
function ownerOf(account: string): string {
  const disp = readFileSync(join(berkaDir(), 'disp.asc'), 'latin1').split('\r\n').map((l) => l.split(';'));
  const row = disp.find((cells) => cells[2] === account && cells[3] === '"OWNER"');
  if (!row) throw new Error(`no owner of account ${account}`);
  return row[1]!;
}
