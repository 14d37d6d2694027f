/**
 * Product matching on the real Berka data (PKDD'99), through the CLI as an analyst runs it (issue #9
 * "done when"). Berka's holdings are loans, cards and standing orders, with no balances, no transactions and
 * no risk assessments: the as-of date is the latest record (1998-12-31), the families with enough new
 * holders in the last quarter get a forest (credit cards), the others are ranked from co-holding lift.
 * Nobody has a risk assessment, so the one investment product (insurance, R2) is offered to nobody; cards
 * and loans are not sold on a risk questionnaire, whatever rating the register gives them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../../electron/engine/host';
import { DATASETS, tempDir } from '../../support/temp';
import { runCli } from '../../support/run-cli';

const berka = fileURLToPath(new URL('berka-pkdd99/', DATASETS));
const path = join(tempDir('bpw-matching-berka-'), 'berka.bpw');

describe.runIf(existsSync(join(berka, 'client.asc')))('match train, score and explain on Berka', () => {
  beforeAll(async () => {
    const host = new EngineHost({ log: () => {} });
    try {
      await host.call('workspace.create', { path });
      const imports = await host.runJob('import.recipe', { recipe: 'berka', dir: berka });
      expect(imports.every((r) => r.status === 'committed')).toBe(true);
      await host.runJob('analysis.run', {});
    } finally {
      await host.close();
    }
  });

  it('trains a forest for credit cards and ranks the other families from co-holding lift', { timeout: 300_000 }, async () => {
    const run = await runCli(['match', 'train', '--workspace', path, '--trees', '40']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json).toMatchObject({ ok: true, as_of: '1998-12-31', features_as_of: '1998-09-30', horizon_months: 3 });
    const families = run.json.families as { family: string; positives: number; model_id: number | null; roc_auc: number | null; precision_at_5: number | null }[];
    const cards = families.find((f) => f.family === 'credit_card')!;
    expect(cards.positives).toBeGreaterThanOrEqual(50);
    expect(cards.model_id).not.toBeNull();
    expect(cards.roc_auc).toBeGreaterThan(0.5);
    expect(families.find((f) => f.family === 'consumer_loan')!.model_id).toBeNull();
    expect((run.json.model_ids as number[]).length).toBeGreaterThan(0);
    expect(run.json.map_at_5).toEqual(expect.any(Number));
    expect(run.json.baseline_map_at_5).toEqual(expect.any(Number));
    expect(run.stderr).toContain('留出检验');
  });

  it('recommends only suitable products', { timeout: 300_000 }, async () => {
    const scored = await runCli(['match', 'score', '--workspace', path]);
    expect(scored.code, scored.stderr).toBe(0);
    expect(scored.json).toMatchObject({ ok: true, as_of: '1998-12-31', unsuitable: 0 });
    expect(scored.json.customers).toBeGreaterThan(4_000);
    expect(scored.json.recommendations).toBeGreaterThan(4_000);
  });

  it('explains one client in Chinese, and rejects an unknown one', { timeout: 300_000 }, async () => {
    const explained = await runCli(['match', 'explain', '--workspace', path, '--customer', '1']);
    expect(explained.code, explained.stderr).toBe(0);
    const recommendations = explained.json.recommendations as { product_id: string; reasons: string[]; flags: string[] }[];
    const excluded = explained.json.excluded as { product_id: string; reason: string }[];
    expect(recommendations.length + excluded.length).toBeGreaterThan(0);
    for (const r of recommendations) expect(r.reasons.length).toBeGreaterThan(0);
    // Berka records no risk assessment: the insurance product (R2) is out, with the reason to give.
    for (const e of excluded) expect(e.reason).toMatch(/[\u4e00-\u9fff]/);
    expect(excluded.find((e) => e.product_id === 'BERKA-ORDER-POJISTNE')?.reason).toContain('未做风险测评');

    const unknown = await runCli(['match', 'explain', '--workspace', path, '--customer', 'NOBODY']);
    expect(unknown.code).toBe(2);
    expect((unknown.json.error as { message: string }).message).toContain('没有客户');
  });
});
