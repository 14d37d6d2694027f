/** The workbench CLI as an analyst runs it: a separate process, JSON as the last line of stdout. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../electron/cli.ts', import.meta.url));

export interface CliRun {
  code: number | null;
  json: Record<string, unknown>;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '{}';
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(last) as Record<string, unknown>;
      } catch {
        json = {};
      }
      resolve({ code, json, stdout, stderr });
    });
  });
}
