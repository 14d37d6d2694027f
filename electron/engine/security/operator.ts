/**
 * Who is at the keyboard, as far as the machine can tell: the operating system's user name and the
 * machine's name, recorded with every audit entry (issue #14: "record the operating system's user name
 * and the machine"). Read once per process; both are facts of the login, not of the workspace.
 */
import { hostname, userInfo } from 'node:os';

export interface Operator {
  osUser: string;
  machine: string;
}

let cached: Operator | null = null;

export function currentOperator(): Operator {
  cached ??= { osUser: osUserName(), machine: machineName() };
  return cached;
}

function osUserName(): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // userInfo() throws when the uid has no passwd entry (some containers); the environment still knows.
  }
  return process.env.USERNAME ?? process.env.USER ?? '未知用户';
}

function machineName(): string {
  try {
    return hostname() || '未知计算机';
  } catch {
    return '未知计算机';
  }
}
