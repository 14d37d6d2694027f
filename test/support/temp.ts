import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temporary folder removed after the test file; workspaces and generated files go here. */
export function tempDir(prefix = 'bpw-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The public datasets beside the repository (../shared/datasets), never copied into it. */
export const DATASETS = new URL('../../../shared/datasets/', import.meta.url);
