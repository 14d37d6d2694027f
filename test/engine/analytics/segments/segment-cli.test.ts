/**
 * `npm run cli -- segment`: a real child process on workspaces with planted segments and with no analysis.
 * With --json the last line of stdout is the result; a workspace without analysis is rejected input.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { separationLevel } from '../../../../shared/analysis-text';
import { tempWorkspace } from '../../customers/fixture';
import { plantClusters } from '../support/planted-clusters';

const cli = fileURLToPath(new URL('../../../../electron/cli.ts', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', timeout: 120_000 });
const lastLine = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

interface CliResult {
  ok: boolean;
  runId: number;
  k: number;
  silhouette: number;
  separation: string;
  customers: number;
  features: { key: string; label: string }[];
  clusters: { index: number; name: string; size: number; share: number; description: string | null }[];
  silhouetteCurve: { k: number; silhouette: number }[] | null;
}

let planted: string;
let empty: string;

beforeAll(() => {
  const a = tempWorkspace();
  plantClusters(a.db, 150);
  a.db.close();
  planted = a.path;
  const b = tempWorkspace();
  b.db.close();
  empty = b.path;
});

describe('segment command', () => {
  it('prints k, silhouette and the clusters, with JSON as the last line', () => {
    const result = run('segment', '--workspace', planted, '--k', '4', '--features', 'aum_avg_3m,age,txn_count_90d,mobile_share', '--seed', '2', '--json');
    expect(result.status, result.stderr).toBe(0);
    const json = lastLine(result.stdout) as unknown as CliResult;
    expect(json).toMatchObject({ ok: true, k: 4, customers: 600, silhouetteCurve: null });
    expect(json.runId).toBeGreaterThan(0);
    expect(json.silhouette).toBeGreaterThan(0.4);
    expect(json.features.map((f) => f.key)).toEqual(['aum_avg_3m', 'age', 'txn_count_90d', 'mobile_share']);
    expect(json.clusters).toHaveLength(4);
    expect(json.clusters.reduce((sum, c) => sum + c.size, 0)).toBe(600);
    for (const c of json.clusters) expect(c.name).toMatch(/[\u4e00-\u9fff]/);
    // With --json the human lines go to stderr.
    expect(result.stderr).toMatch(/分群数 k = 4，区分度：(很弱|弱|中等|强)（轮廓系数 0\.\d{2}）/);
    expect(json.separation).toBe(separationLevel(json.silhouette));
    expect(result.stderr).toMatch(/各群：/);
    // Each cluster is described in words: its main tier and its strongest deviations.
    for (const c of json.clusters) expect(c.description).toMatch(/^(以.+客户为主|.+客户最多).*。$/);
  });

  it('suggests k with the default features and prints the silhouette curve', () => {
    const result = run('segment', '--workspace', planted);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/轮廓系数曲线：/);
    expect(result.stdout).toMatch(/k= 2 {2}-?\d\.\d{3}/);
    expect(result.stdout).toMatch(/← 推荐/);
  });

  it('rejects a workspace without a customer analysis, saying which command to run (exit 2)', () => {
    const result = run('segment', '--workspace', empty, '--json');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`请先运行客户分析：npm run cli -- analyze --workspace ${empty}`);
    expect(lastLine(result.stdout)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('rejects unknown features and bad k (exit 2)', () => {
    const unknown = run('segment', '--workspace', planted, '--features', 'aum_avg_3m,shoe_size');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/未知的特征 shoe_size/);
    const badK = run('segment', '--workspace', planted, '--k', '1');
    expect(badK.status).toBe(2);
    expect(badK.stderr).toMatch(/分群数至少为 2/);
  });
});
