import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RECENT_WORKSPACES, RecentWorkspaces } from '../../electron/main/recent-workspaces';

let userData: string;
let file: string;

beforeEach(() => {
  userData = mkdtempSync(join(tmpdir(), 'bpw-user-data-'));
  file = join(userData, 'recent-workspaces.json');
});
afterEach(() => rmSync(userData, { recursive: true, force: true }));

const clock = () => {
  let t = Date.UTC(2025, 0, 1);
  return () => new Date((t += 60_000));
};

describe('recent workspaces', () => {
  it('persist across reloads, newest first, with whether each file exists', () => {
    const existing = join(userData, '城东支行.bpw');
    writeFileSync(existing, '');
    const first = new RecentWorkspaces(file, { now: clock() });
    first.remember(join(userData, 'gone.bpw'));
    first.remember(existing);

    const reloaded = new RecentWorkspaces(file);
    expect(reloaded.list()).toEqual([
      { path: existing, openedAt: '2025-01-01T00:02:00.000Z', exists: true },
      { path: join(userData, 'gone.bpw'), openedAt: '2025-01-01T00:01:00.000Z', exists: false },
    ]);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
  });

  it(`keep at most ${MAX_RECENT_WORKSPACES}, dropping the oldest`, () => {
    const recent = new RecentWorkspaces(file, { now: clock() });
    for (let i = 1; i <= 13; i++) recent.remember(join(userData, `w${i}.bpw`));
    expect(MAX_RECENT_WORKSPACES).toBe(10);
    const paths = new RecentWorkspaces(file).list().map((entry) => entry.path);
    expect(paths).toHaveLength(10);
    expect(paths[0]).toBe(join(userData, 'w13.bpw'));
    expect(paths[9]).toBe(join(userData, 'w4.bpw'));
  });

  it('move a reopened workspace to the top instead of listing it twice', () => {
    const recent = new RecentWorkspaces(file, { now: clock() });
    recent.remember(join(userData, 'a.bpw'));
    recent.remember(join(userData, 'b.bpw'));
    recent.remember(join(userData, 'a.bpw'));
    expect(recent.list().map((entry) => entry.path)).toEqual([join(userData, 'a.bpw'), join(userData, 'b.bpw')]);
  });

  it('treat paths case-insensitively on Windows', () => {
    const recent = new RecentWorkspaces(file, { platform: 'win32' });
    recent.remember('/Data/A.bpw');
    recent.remember('/data/a.bpw');
    expect(recent.list().map((entry) => entry.path)).toEqual(['/data/a.bpw']);
  });

  it('ignore relative paths and survive a damaged file', () => {
    writeFileSync(file, '{ not json');
    const recent = new RecentWorkspaces(file);
    expect(recent.list()).toEqual([]);
    recent.remember('relative.bpw');
    expect(recent.list()).toEqual([]);
    recent.remember(join(userData, 'ok.bpw'));
    expect(new RecentWorkspaces(file).list()).toHaveLength(1);
  });

  it('forget and clear', () => {
    const recent = new RecentWorkspaces(file);
    recent.remember(join(userData, 'a.bpw'));
    recent.remember(join(userData, 'b.bpw'));
    recent.forget(join(userData, 'a.bpw'));
    expect(new RecentWorkspaces(file).list().map((entry) => entry.path)).toEqual([join(userData, 'b.bpw')]);
    recent.clear();
    expect(new RecentWorkspaces(file).list()).toEqual([]);
  });
});
