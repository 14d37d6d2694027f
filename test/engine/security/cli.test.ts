/**
 * The security commands of the CLI: a passphrase comes from --passphrase-file or BPW_PASSPHRASE on every
 * command that opens a workspace; a missing or wrong one is a clear refusal with exit code 2, never a
 * crash; `workspace backup` and `audit verify` work on an encrypted workspace; a tampered audit log fails
 * verification (exit 2) naming the first broken link. Child processes are slow to start on a busy
 * machine, so only what needs a real process runs as one.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliSecrets, configureCliSecrets } from '../../../electron/cli/passphrase';
import { grantArguments } from '../../../electron/cli/grants';
import { appendAudit } from '../../../electron/engine/audit';
import { openWorkspace } from '../../../electron/engine/db/workspace';
import { PathGrants } from '../../../electron/engine/security/path-grants';
import { tempDir } from '../../support/temp';

const cli = fileURLToPath(new URL('../../../electron/cli.ts', import.meta.url));
const dir = tempDir();
const PASS = 'correct horse battery';
const passFile = join(dir, 'pass.txt');
const encrypted = join(dir, '加密支行.bpw');
const tampered = join(dir, '篡改.bpw');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, BPW_PASSPHRASE: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const lastLine = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

beforeAll(() => {
  writeFileSync(passFile, `${PASS}\r\n`);
  const db = openWorkspace(encrypted, { create: true, passphrase: PASS });
  db.prepare("INSERT INTO customers (customer_id, name) VALUES ('C000001', '张三丰')").run();
  appendAudit(db, { action: 'import', params: { entity: 'customers', file: 'c.csv', status: 'committed' }, rowCount: 1 });
  db.close();
  const plain = openWorkspace(tampered, { create: true });
  for (let i = 0; i < 5; i++) appendAudit(plain, { action: 'unmask', params: { customerId: `C${i}` }, reason: '核实客户身份', rowCount: 1 });
  plain.close();
  // Someone with the file and sqlite3 rewrites the reason of entry 3.
  const raw = new Database(tampered);
  raw.exec('DROP TRIGGER audit_log_no_update');
  raw.prepare("UPDATE audit_log SET reason = '例行抽查' WHERE id = 3").run();
  raw.close();
});

describe('security commands', () => {
  it('refuse without the passphrase, back up with it, and fail verification of a tampered log', async () => {
    const backup = join(dir, '加密支行-备份.bpw');
    const [refused, backedUp, verified] = await Promise.all([
      run(['info', '--workspace', encrypted, '--json']),
      run(['workspace', 'backup', '--workspace', encrypted, '--out', backup, '--passphrase-file', passFile, '--json']),
      run(['audit', 'verify', '--workspace', tampered, '--json']),
    ]);

    expect(refused.status).toBe(2);
    expect(lastLine(refused.stdout)).toMatchObject({ ok: false, error: { code: 'passphrase_required' } });
    expect(refused.stderr).not.toMatch(/at .*\.ts:\d+/);

    expect(backedUp.status, backedUp.stderr).toBe(0);
    expect(lastLine(backedUp.stdout)).toMatchObject({ ok: true, encrypted: true, method: 'vacuum-into' });
    expect(readFileSync(backup).includes(Buffer.from('张三丰'))).toBe(false);
    expect(backedUp.stdout + backedUp.stderr).not.toContain(PASS);

    expect(verified.status).toBe(2);
    expect(lastLine(verified.stdout)).toMatchObject({ ok: false, firstBreak: { id: 3, action: 'unmask', kind: 'edited' }, missingTriggers: ['audit_log_no_update'] });
    expect(verified.stderr).toContain('第一处断链在记录 #3');
  });
});

describe('passphrases and grants of a CLI run', () => {
  it('reads the first line of the passphrase file, or the environment, never an argument', () => {
    configureCliSecrets({ 'passphrase-file': passFile }, {});
    expect(cliSecrets().passphrase).toBe(PASS);
    configureCliSecrets({}, { BPW_PASSPHRASE: 'from the environment', BPW_NEW_PASSPHRASE: 'a new one here' });
    expect(cliSecrets()).toMatchObject({ passphrase: 'from the environment', newPassphrase: 'a new one here' });
    expect(() => configureCliSecrets({ 'passphrase-file': join(dir, 'missing.txt') }, {})).toThrow(/找不到口令文件/);
    configureCliSecrets({}, {});
  });

  it('grants the files named on the command line, and nothing else', () => {
    const grants = new PathGrants('linux');
    grantArguments({ grantPath: (p, k) => grants.grant(p, k) }, { workspace: encrypted, out: join(dir, 'x.xlsx'), json: true }, [dir]);
    expect(grants.allows(encrypted, ['read'])).toBe(true);
    expect(grants.allows(join(dir, 'x.xlsx'), ['write'])).toBe(true);
    expect(grants.allows(join(dir, 'inside.csv'), ['read'])).toBe(true);
    expect(grants.allows('/etc/passwd', ['read'])).toBe(false);
  });
});
