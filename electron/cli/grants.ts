/**
 * The CLI's file grants: whatever path the user typed on the command line may be used, and nothing else
 * (electron/engine/security/path-grants.ts). Every string argument is granted as a file to read or write,
 * and as a folder when it names one (an import recipe's --dir); words that are not paths grant a file
 * nobody asks for.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EngineHost } from '../engine/host';

export function grantArguments(host: Pick<EngineHost, 'grantPath'>, values: Record<string, unknown>, positionals: readonly string[]): void {
  const strings = [...Object.values(values).flatMap((v) => (Array.isArray(v) ? v : [v])), ...positionals].filter((v): v is string => typeof v === 'string' && v !== '');
  for (const value of strings) {
    const path = resolve(value);
    host.grantPath(path, 'read');
    host.grantPath(path, 'write');
    if (existsSync(path) && statSync(path).isDirectory()) host.grantPath(path, 'folder');
  }
}
