/**
 * Engine file access (issue #15 §1.10): `import.preview` used to read any path it was named, `/etc/passwd`
 * included. With grants, the engine touches only paths the user chose (a dialog in the app, an argument in
 * the CLI); relative paths and `..` are refused everywhere; a Windows network share only when picked.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, channels, type ChannelName } from '../../../shared/api';
import { isUncPath } from '../../../shared/security';
import { EngineHost } from '../../../electron/engine/host';
import { PATH_FIELD_NAME, PathGrants } from '../../../electron/engine/security/path-grants';
import { tempDir } from '../../support/temp';

const dir = tempDir();

const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string };
  }
  return null;
};

describe('PathGrants', () => {
  it('lets a request use only what was granted, in the way it was granted', () => {
    const grants = new PathGrants('linux');
    grants.grant('/data/客户.csv', 'read');
    grants.grant('/data/导出/女性客户.xlsx', 'write');
    grants.grant('/data/berka', 'folder');
    expect(refusal(() => grants.check('import.preview', { file: '/data/客户.csv', entity: 'customers' }))).toBeNull();
    expect(refusal(() => grants.check('import.preview', { file: '/etc/passwd', entity: 'customers' }))).toMatchObject({ code: 'path_not_allowed' });
    expect(refusal(() => grants.check('export.table', { path: '/data/导出/女性客户.xlsx' }))).toBeNull();
    // A file opened for reading may not be overwritten by an export.
    expect(refusal(() => grants.check('export.table', { path: '/data/客户.csv' }))).toMatchObject({ code: 'path_not_allowed' });
    expect(refusal(() => grants.check('import.recipe', { recipe: 'berka', dir: '/data/berka' }))).toBeNull();
    expect(refusal(() => grants.check('import.run', { file: '/data/berka/trans.asc', entity: 'transactions' }))).toBeNull();
    expect(refusal(() => grants.check('export.table', { path: '/data/berka/out.xlsx' }))).toMatchObject({ code: 'path_not_allowed' });
    expect(refusal(() => grants.check('import.run', { file: '/data/berka-other/x.csv', entity: 'customers' }))).toMatchObject({ code: 'path_not_allowed' });
  });

  it('refuses relative paths and .. segments even when something was granted', () => {
    const grants = new PathGrants('linux');
    grants.grant('/data', 'folder');
    expect(refusal(() => grants.check('import.preview', { file: 'data/客户.csv' }))).toMatchObject({ code: 'path_not_allowed', message: expect.stringContaining('不是完整路径') });
    expect(refusal(() => grants.check('import.preview', { file: '/data/../etc/passwd' }))).toMatchObject({ code: 'path_not_allowed', message: expect.stringContaining('..') });
  });

  it('on Windows: compares without case and refuses a network share unless it was picked', () => {
    const grants = new PathGrants('win32');
    grants.grant('C:\\Users\\分析师\\客户.csv', 'read');
    expect(refusal(() => grants.check('import.preview', { file: 'c:\\users\\分析师\\客户.CSV' }))).toBeNull();
    expect(refusal(() => grants.check('import.preview', { file: '\\\\fileserver\\share\\客户.csv' }))).toMatchObject({ message: expect.stringContaining('网络共享路径') });
    grants.grant('\\\\fileserver\\share\\客户.csv', 'read');
    expect(refusal(() => grants.check('import.preview', { file: '\\\\fileserver\\share\\客户.csv' }))).toBeNull();
    expect(isUncPath('\\\\?\\C:\\data\\x.csv')).toBe(false);
    expect(isUncPath('//server/share/x')).toBe(true);
  });

  it('checks every path-like field of every channel, including channels added later', () => {
    const grants = new PathGrants('linux');
    const checked: string[] = [];
    for (const channel of CHANNEL_NAMES) {
      const shape = (channels[channel].request as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      for (const key of Object.keys(shape).filter((k) => PATH_FIELD_NAME.test(k))) {
        expect(refusal(() => grants.check(channel, { [key]: '/etc/passwd' })), `${channel}.${key}`).toMatchObject({ code: 'path_not_allowed' });
        checked.push(`${channel}.${key}`);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['import.preview.file', 'export.table.path', 'workspace.open.path', 'security.backup.path']));
    expect(refusal(() => grants.check('later.export' as ChannelName, { outFile: '/etc/passwd' }))).toMatchObject({ code: 'path_not_allowed' });
  });

  it('lets a report write its other formats beside the file chosen in the save dialog, and nowhere else', () => {
    const grants = new PathGrants('linux');
    grants.grant('/home/analyst/周报.pdf', 'write');
    expect(refusal(() => grants.check('reports.export', { spec: {}, pdf: '/home/analyst/周报.pdf', xlsx: '/home/analyst/周报.xlsx', pptx: '/home/analyst/周报.pptx' }))).toBeNull();
    expect(refusal(() => grants.check('reports.export', { spec: {}, xlsx: '/home/analyst/别的.xlsx' }))).toMatchObject({ code: 'path_not_allowed' });
    expect(refusal(() => grants.check('reports.export', { spec: {}, pdf: '/etc/周报.pdf' }))).toMatchObject({ code: 'path_not_allowed' });
    expect(refusal(() => grants.check('reports.export', { spec: {}, pptx: '/home/analyst/周报.sh' }))).toMatchObject({ code: 'path_not_allowed' });
  });
});

describe('EngineHost with grants', () => {
  let host: EngineHost;
  beforeAll(() => {
    host = new EngineHost({ log: () => {}, fileAccess: 'granted' });
  });
  afterAll(async () => {
    await host.close();
  });

  it('refuses to preview /etc/passwd, and previews a file the user chose', async () => {
    await expect(host.call('import.preview', { file: '/etc/passwd', entity: 'customers' })).rejects.toMatchObject({ code: 'path_not_allowed' });
    const file = join(dir, '客户.csv');
    writeFileSync(file, '客户号,姓名\nC1,张三\n');
    await expect(host.call('import.preview', { file, entity: 'customers' })).rejects.toMatchObject({ code: 'path_not_allowed' });
    host.grantPath(file, 'read');
    await expect(host.call('import.preview', { file, entity: 'customers' })).resolves.toMatchObject({ headers: ['客户号', '姓名'] });
  });

  it('creates a workspace only where a save dialog said', async () => {
    const path = join(dir, 'granted.bpw');
    await expect(host.call('workspace.create', { path })).rejects.toMatchObject({ code: 'path_not_allowed' });
    host.grantPath(path, 'write');
    await expect(host.call('workspace.create', { path })).resolves.toMatchObject({ fileName: 'granted.bpw' });
  });
});
