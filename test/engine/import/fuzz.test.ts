/**
 * Seeded fuzzing of the readers and the value parsers (issue #15 §4): CSV, TSV and XLSX files with mutated
 * bytes, cut short, in odd encodings and with huge declared sizes, and random cells through every field's
 * parser. Every case must end in success or a clear bad_input error, never an internal error or a hang, and
 * memory must stay bounded. A failure names the case's seed; `FUZZ_SEED=… npx vitest run …` replays a run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standaloneJobContext } from '../../../electron/engine/context';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { EngineError } from '../../../electron/engine/errors';
import { importFile } from '../../../electron/engine/import/importer';
import { openSource } from '../../../electron/engine/import/source';
import { ENTITIES } from '../../../shared/dictionary';
import { INVALID, parserFor } from '../../../shared/values';
import { tempDir } from '../../support/temp';
import { writeCustomers } from '../../support/workspace';
import { int, mutateBytes, mutateZip, pick, seedTexts, seedWorkbooks, textCases, workbookCases } from './fuzz-cases';
import { prng } from './source-helpers';

const SEED = Number(process.env.FUZZ_SEED ?? 20240917);
const dir = tempDir('bpw-fuzz-');
/** Rows read per case at most: a mutation may make one huge file out of a small one, never an endless one. */
const MAX_ROWS = 50_000;
const CASE_TIMEOUT_MS = 15_000;

// ------------------------------------------------------------------------------------------------------
// Running a case

interface Outcome {
  kind: 'ok' | 'bad_input';
}

/** Reads the whole file as the importer would; success or a bad_input EngineError, anything else fails. */
async function readCase(file: string, options: { encoding?: 'gb18030' | 'utf-16le' } = {}): Promise<Outcome> {
  const work = (async (): Promise<Outcome> => {
    try {
      const source = await openSource({ file, ...options });
      let rows = 0;
      const batches = source.batches();
      try {
        for await (const batch of batches) {
          rows += batch.rows.length;
          if (rows > MAX_ROWS) break;
        }
      } finally {
        await batches.return(undefined);
      }
      return { kind: 'ok' };
    } catch (error) {
      if (error instanceof EngineError && error.code === 'bad_input') return { kind: 'bad_input' };
      throw error;
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the reader hung')), CASE_TIMEOUT_MS)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const tally = { cases: 0, ok: 0, bad_input: 0, peakRss: 0 };
const baselineRss = process.memoryUsage().rss;

function count(outcome: Outcome): void {
  tally.cases++;
  tally[outcome.kind]++;
  if (tally.cases % 50 === 0) tally.peakRss = Math.max(tally.peakRss, process.memoryUsage().rss);
}

async function expectClear(label: string, run: () => Promise<Outcome>): Promise<void> {
  try {
    count(await run());
  } catch (error) {
    throw new Error(`${label}: ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error)}`);
  }
}

let texts: Buffer[];
let workbooks: Buffer[];
let db: Db;


beforeAll(async () => {
  texts = seedTexts();
  workbooks = seedWorkbooks();
  db = openWorkspace(join(dir, 'fuzz.bpw'), { create: true });
  await importFile(standaloneJobContext(db), { file: writeCustomers(join(dir, 'customers.csv'), 20), entity: 'customers', policy: 'reject' });
});

afterAll(() => {
  db?.close();
});

describe(`fuzzing with seed ${SEED}`, () => {
  it('reads 3,000 mutated CSV/TSV files to success or a clear refusal', async () => {
    for (const { index, bytes, encoding } of textCases(SEED, 3_000)) {
      const file = join(dir, `text-${index % 8}.csv`);
      writeFileSync(file, bytes);
      await expectClear(`text case ${index} (seed ${SEED})`, () => readCase(file, encoding ? { encoding } : {}));
    }
  });

  it('reads 1,500 damaged workbooks to success or a clear refusal', async () => {
    for (const { index, bytes } of workbookCases(SEED + 1, 1_500)) {
      const file = join(dir, `book-${index % 8}.xlsx`);
      writeFileSync(file, bytes);
      await expectClear(`xlsx case ${index} (seed ${SEED})`, () => readCase(file));
    }
  });

  it('imports 400 mutated files into a workspace without an internal error', async () => {
    const rand = prng(SEED + 2);
    const ctx = standaloneJobContext(db);
    for (let i = 0; i < 400; i++) {
      const xlsx = int(rand, 4) === 0;
      const bytes = xlsx ? mutateZip(rand, pick(rand, workbooks)) : mutateBytes(rand, pick(rand, texts.slice(0, 4)));
      const file = join(dir, `import-${i % 4}.${xlsx ? 'xlsx' : 'csv'}`);
      writeFileSync(file, bytes);
      const entity = pick(rand, ['customers', 'balances', 'transactions'] as const);
      await expectClear(`import case ${i} (seed ${SEED})`, async () => {
        try {
          await importFile(ctx, { file, entity, policy: int(rand, 2) === 0 ? 'reject' : 'skip-bad' });
          return { kind: 'ok' };
        } catch (error) {
          if (error instanceof EngineError && error.code === 'bad_input') return { kind: 'bad_input' };
          throw error;
        }
      });
    }
  });

  it('parses 20,000 random cells with every field parser: a value, empty or a reason, never a throw or a non-finite number', () => {
    const rand = prng(SEED + 3);
    const parsers = ENTITIES.flatMap((e) => e.fields.map((f) => ({ name: `${e.key}.${f.key}`, parse: parserFor(f, { scale: int(rand, 3) === 0 ? 10_000 : 1, plausible: { max: 1e10 } }) })));
    const alphabet = ['0', '1', '9', '.', ',', '-', '+', 'e', 'E', 'x', 'b', '万', '亿', '¥', '(', ')', ' ', '\t', '\u3000', '\u200b', '年', '月', '日', '/', ':', 'T', 'Infinity', 'NaN', '0x', '是', '否', '男', 'C', 'R', '%', '\u0000', '\u001b', '"', '\n', '2024', '13', '99'];
    const failure = { message: '' };
    for (let i = 0; i < 20_000; i++) {
      const raw = Array.from({ length: int(rand, 8) }, () => pick(rand, alphabet)).join('');
      const { name, parse } = pick(rand, parsers);
      let value: unknown;
      try {
        value = parse(raw, failure);
      } catch (error) {
        throw new Error(`${name} threw on ${JSON.stringify(raw)}: ${(error as Error).message}`);
      }
      if (typeof value === 'number') expect(Number.isFinite(value), `${name} ${JSON.stringify(raw)} → ${value}`).toBe(true);
      if (value === INVALID) expect(failure.message.length, `${name} ${JSON.stringify(raw)}`).toBeGreaterThan(0);
      tally.cases++;
    }
  });

  it('ran at least 5,000 cases with bounded memory', () => {
    console.log(`fuzz seed ${SEED}: ${tally.cases} cases, ${tally.ok} read, ${tally.bad_input} refused clearly, peak RSS +${Math.round((tally.peakRss - baselineRss) / 2 ** 20)} MB`);
    expect(tally.cases).toBeGreaterThanOrEqual(5_000);
    expect(tally.ok).toBeGreaterThan(100);
    expect(tally.bad_input).toBeGreaterThan(100);
    expect(tally.peakRss - baselineRss).toBeLessThan(768 * 2 ** 20);
  });
});
