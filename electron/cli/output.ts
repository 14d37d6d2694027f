/**
 * How every CLI command reports: human lines on stderr while it works, a summary on stdout, and with
 * `--json` one JSON object as the last line of stdout. Exit codes: 0 success, 2 rejected input, 1 internal.
 */
import { EngineError } from '../engine/errors';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_REJECTED = 2;

/**
 * Text as the terminal may show it: control bytes (ESC sequences could recolour, move the cursor, retitle
 * the window or worse), DEL and the C1 range are written as visible \xNN escapes (issue #15 §1.9). Line
 * breaks and tabs stay: the CLI's own lines use them.
 */
export function terminalText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** JSON escapes C0 controls itself; DEL and C1 (0x9b is a CSI to some terminals) are escaped here too. */
function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const USER_ERROR_CODES = new Set(['invalid_request', 'no_workspace', 'workspace_not_found', 'not_a_workspace', 'schema_too_new', 'passphrase_required', 'wrong_passphrase', 'path_not_allowed', 'busy', 'bad_input', 'not_found', 'cancelled']);

export class CliOutput {
  constructor(readonly json: boolean) {}

  /** A line for a person reading the terminal. With --json it goes to stderr so stdout stays parseable. */
  say(line = ''): void {
    (this.json ? process.stderr : process.stdout).write(`${terminalText(line)}\n`);
  }

  progress(): (phase: string, done: number, total: number) => void {
    let lastLine = '';
    let lastAt = 0;
    return (phase, done, total) => {
      const now = Date.now();
      const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
      const line = `${phase} ${percent}%`;
      if (line === lastLine || (now - lastAt < 1000 && percent < 100)) return;
      lastLine = line;
      lastAt = now;
      process.stderr.write(`  … ${line}\n`);
    };
  }

  finish(result: Record<string, unknown>, exitCode = EXIT_OK): number {
    if (this.json) process.stdout.write(`${jsonLine(result)}\n`);
    return exitCode;
  }

  fail(error: unknown): number {
    const isUser = error instanceof EngineError && USER_ERROR_CODES.has(error.code);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`错误：${terminalText(message)}\n`);
    if (!isUser && error instanceof Error && error.stack) process.stderr.write(`${terminalText(error.stack)}\n`);
    if (error instanceof EngineError && error.detail && !isUser) process.stderr.write(`${terminalText(error.detail)}\n`);
    const code = isUser ? EXIT_REJECTED : EXIT_INTERNAL;
    if (this.json) {
      process.stdout.write(`${jsonLine({ ok: false, error: { code: error instanceof EngineError ? error.code : 'internal', message } })}\n`);
    }
    return code;
  }
}

export const fmt = (n: number) => n.toLocaleString('zh-CN');
