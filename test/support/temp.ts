import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temporary folder removed after the test file; workspaces and generated files go here. */
export function tempDir(prefix = 'bpw-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The public datasets beside the repository (../shared/datasets), never copied into it. A checkout one
 * level deeper (a git worktree under /work/wt/) finds them one level up; BPW_DATASETS names another place.
 */
export const DATASETS = findDatasets();

function findDatasets(): URL {
  const candidates = [
    ...(process.env.BPW_DATASETS ? [new URL(`file://${process.env.BPW_DATASETS.replace(/\/?$/, '/')}`)] : []),
    new URL('../../../shared/datasets/', import.meta.url),
    new URL('../../../../shared/datasets/', import.meta.url),
  ];
  return candidates.find((url) => existsSync(url)) ?? candidates[candidates.length - 2]!;
}
