/**
 * CLI commands of workspace security (issue #15):
 *
 *   workspace encrypt --workspace W.bpw                       口令：--passphrase-file F 或 BPW_PASSPHRASE（新口令）
 *   workspace rekey   --workspace W.bpw --new-passphrase-file F2   （或 BPW_NEW_PASSPHRASE）
 *   workspace decrypt --workspace W.bpw --out 明文副本.bpw --purpose "用途"
 *   workspace backup  --workspace W.bpw --out 备份.bpw
 *   workspace restore --workspace W.bpw --from 备份.bpw [--backup-passphrase-file F3]
 *   workspace status  --workspace W.bpw
 *   audit verify      --workspace W.bpw
 *   audit list        --workspace W.bpw [--action export] [--from 2024-06-01] [--to 2024-06-30] [--limit 50]
 *
 * Exit codes as everywhere: 0 success, 2 rejected input (a wrong passphrase, a damaged backup, an audit log
 * that does not verify), 1 internal error.
 */
import { basename, resolve } from 'node:path';
import type { EngineHost } from '../engine/host';
import { EngineError } from '../engine/errors';
import type { CommandArgs, CommandGroup } from './command';
import { EXIT_OK, EXIT_REJECTED, fmt, type CliOutput } from './output';
import { cliSecrets } from './passphrase';
import { intOption, openWorkspace, requireOption } from './workspace-commands';

const str = (args: CommandArgs, key: string): string | undefined => {
  const v = args.values[key];
  return typeof v === 'string' ? v : undefined;
};

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString('zh-CN', { maximumFractionDigits: 1 })} MB`;

function workspacePath(args: CommandArgs): string {
  return resolve(requireOption(args, 'workspace', '工作区文件，如 branch.bpw'));
}

function requirePassphrase(which: 'passphrase' | 'newPassphrase', hint: string): string {
  const value = cliSecrets()[which];
  if (!value) throw new EngineError('bad_input', hint);
  return value;
}

async function encrypt(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const path = workspacePath(args);
  const passphrase = requirePassphrase('passphrase', '请用 --passphrase-file 口令文件（或环境变量 BPW_PASSPHRASE）给出新口令，至少 8 个字符');
  await openWorkspace(host, path);
  const summary = await host.call('security.encrypt', { passphrase });
  out.say(`已加密“${summary.fileName}”（ChaCha20-Poly1305）。以后打开它需要这个口令；口令遗失后数据无法恢复，请妥善保管。`);
  return out.finish({ ok: true, path: summary.path, encrypted: summary.encrypted });
}

async function rekey(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const path = workspacePath(args);
  const passphrase = requirePassphrase('passphrase', '请用 --passphrase-file（或 BPW_PASSPHRASE）给出当前口令');
  const newPassphrase = requirePassphrase('newPassphrase', '请用 --new-passphrase-file 口令文件（或环境变量 BPW_NEW_PASSPHRASE）给出新口令，至少 8 个字符');
  await openWorkspace(host, path);
  const summary = await host.call('security.rekey', { passphrase, newPassphrase });
  out.say(`已更改“${summary.fileName}”的口令。之前的备份仍使用旧口令。`);
  return out.finish({ ok: true, path: summary.path });
}

async function decrypt(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const path = workspacePath(args);
  const target = resolve(requireOption(args, 'out', '未加密副本的文件名，如 明文副本.bpw'));
  const purpose = requireOption(args, 'purpose', '导出未加密副本的用途，会记入审计日志');
  await openWorkspace(host, path);
  const result = await host.runJob('security.decryptCopy', { path: target, purpose }, out.progress());
  out.say(`已导出未加密副本：${result.path}（${megabytes(result.bytes)}）。原工作区仍保持加密。副本不受口令保护，用完请删除。`);
  return out.finish({ ok: true, path: result.path, bytes: result.bytes, sha256: result.sha256 });
}

async function backup(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const path = workspacePath(args);
  const target = resolve(requireOption(args, 'out', '备份文件名，如 branch-备份.bpw'));
  await openWorkspace(host, path);
  const result = await host.runJob('security.backup', { path: target }, out.progress());
  out.say(`已备份到 ${result.path}（${megabytes(result.bytes)}${result.encrypted ? '，与工作区使用相同口令加密' : ''}）`);
  out.say(`SHA-256：${result.sha256}`);
  return out.finish({ ok: true, ...result });
}

async function restore(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const target = workspacePath(args);
  const from = resolve(requireOption(args, 'from', '备份文件，如 branch-备份.bpw'));
  const { passphrase, backupPassphrase } = cliSecrets();
  // The workspace itself is not opened first: a damaged workspace is what a restore is for.
  const key = backupPassphrase ?? passphrase;
  const result = await host.call('security.restore', { path: from, target, ...(key ? { passphrase: key } : {}) });
  out.say(`已从 ${basename(from)} 恢复 ${result.fileName}：${fmt(result.customers)} 位客户。`);
  if (result.previousPath) out.say(`原工作区已另存为 ${result.previousPath}，确认恢复无误后可以删除。`);
  return out.finish({ ok: true, path: result.path, customers: result.customers, previousPath: result.previousPath ?? null });
}

async function status(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  await openWorkspace(host, workspacePath(args));
  const s = await host.call('security.status', {});
  out.say(`加密：${s.encrypted ? '是' : '否'}`);
  out.say(`最近备份：${s.lastBackup ? `${s.lastBackup.at.slice(0, 19).replace('T', ' ')}（${s.lastBackup.path}）` : '从未备份'}`);
  if (s.backupDue) out.say(`提醒：距上次备份已 ${s.daysSinceBackup} 天（设置为每 ${s.reminderDays} 天提醒），请尽快备份。`);
  return out.finish({ ok: true, ...s });
}

async function workspaceCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const [sub, ...rest] = args.positionals;
  const next = { ...args, positionals: rest };
  switch (sub) {
    case 'encrypt':
      return encrypt(host, next, out);
    case 'rekey':
      return rekey(host, next, out);
    case 'decrypt':
      return decrypt(host, next, out);
    case 'backup':
      return backup(host, next, out);
    case 'restore':
      return restore(host, next, out);
    case 'status':
      return status(host, next, out);
    default:
      throw new EngineError('bad_input', `请指定 workspace 的子命令：encrypt、rekey、decrypt、backup、restore 或 status，收到“${sub ?? ''}”`);
  }
}

async function auditVerify(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  await openWorkspace(host, workspacePath(args));
  const result = await host.runJob('audit.verify', {}, out.progress());
  if (result.ok) {
    out.say(`审计日志完整：${fmt(result.rows)} 条记录，哈希链逐条核对无误。`);
    out.say(`末条哈希：${result.headHash ?? '（空）'}（可另行记录，用于日后核对是否有记录被截去）`);
  } else {
    if (result.firstBreak) {
      const b = result.firstBreak;
      out.say(`审计日志校验未通过：第一处断链在记录 #${b.id}（${b.at.slice(0, 19).replace('T', ' ')}，${b.action}）${b.kind === 'missing_hash' ? '，该记录不是由工作台写入的' : '，该记录或它之前的记录被修改、删除或插入过'}。`);
    }
    if (result.missingTriggers.length > 0) out.say(`保护审计日志的触发器缺失：${result.missingTriggers.join('、')}。`);
  }
  return out.finish({ ...result }, result.ok ? EXIT_OK : EXIT_REJECTED);
}

async function auditList(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  await openWorkspace(host, workspacePath(args));
  const limit = intOption(args, 'limit', 50);
  const action = str(args, 'action');
  const from = str(args, 'from');
  const to = str(args, 'to');
  const result = await host.call('audit.list', { offset: 0, limit: Math.min(Math.max(limit, 1), 500), ...(action ? { action } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
  out.say(`共 ${fmt(result.total)} 条${result.total > result.entries.length ? `，显示最近 ${fmt(result.entries.length)} 条` : ''}：`);
  for (const e of result.entries) {
    out.say(`  #${e.id} ${new Date(e.at).toLocaleString('zh-CN', { hour12: false })} ${e.osUser ?? '—'}@${e.machine ?? '—'}  ${e.summary}`);
  }
  return out.finish({ ok: true, total: result.total, entries: result.entries });
}

async function auditCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const [sub, ...rest] = args.positionals;
  const next = { ...args, positionals: rest };
  if (sub === 'verify') return auditVerify(host, next, out);
  if (sub === 'list') return auditList(host, next, out);
  throw new EngineError('bad_input', `请指定 audit 的子命令：verify（校验审计日志）或 list（查看记录），收到“${sub ?? ''}”`);
}

export const securityCli: CommandGroup = {
  commands: { workspace: workspaceCommand, audit: auditCommand },
  options: {
    'new-passphrase-file': { type: 'string' },
    'backup-passphrase-file': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    action: { type: 'string' },
    purpose: { type: 'string' },
    limit: { type: 'string' },
  },
  usage: `  workspace 工作区加密与备份     encrypt --workspace W.bpw（新口令用 --passphrase-file 或 BPW_PASSPHRASE 给出）
                                 rekey --workspace W.bpw --new-passphrase-file 新口令文件（或 BPW_NEW_PASSPHRASE）
                                 decrypt --workspace W.bpw --out 明文副本.bpw --purpose 用途
                                 backup --workspace W.bpw --out 备份.bpw
                                 restore --workspace W.bpw --from 备份.bpw [--backup-passphrase-file 备份口令文件]
                                 status --workspace W.bpw
  audit   审计日志               verify --workspace W.bpw（校验哈希链，未通过时退出码为 2）
                                 list --workspace W.bpw [--action export] [--from 2024-06-01] [--to 2024-06-30] [--limit 50]
`,
};
