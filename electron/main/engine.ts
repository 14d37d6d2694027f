/**
 * Starts and stops the engine inside Electron.
 *
 * The engine's worker threads load better-sqlite3, a native addon compiled for one ABI. node_modules holds
 * the Node build (CLI, tests); under Electron the workers must load the Electron build instead. In
 * development that build lives in .cache/electron-native (scripts/electron-native.mjs) and its path goes
 * to the engine through env BPW_SQLITE_BINDING (electron/engine/db/native-binding.ts). It has to be in
 * process.env before the EngineHost is created: worker threads copy the environment when they start.
 *
 * The packaged app needs no override: electron-builder rebuilds node_modules/better-sqlite3 for Electron.
 */
import { existsSync } from 'node:fs';
import { app } from 'electron';
import type { ChannelName, Envelope, EventMap, EventName } from '../../shared/api';
import type { SecurityPolicy } from '../../shared/security';
import { EngineHost } from '../engine/host';
import { appRoot, electronNativeBindingPath } from './paths';
import { createElectronPrinter } from './report-printer';

/** What the main process needs of the engine; EngineHost in the app, a fake in tests. */
export interface EngineLike {
  invoke(channel: ChannelName, payload: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: <E extends EventName>(event: E, payload: EventMap[E]) => void): () => void;
  runningJobs(): { jobId: string }[];
  close(): Promise<void>;
  /** Lets the engine use a path the user chose (EngineHost with fileAccess 'granted'). */
  grantPath?(path: string, kind: 'read' | 'write' | 'folder'): void;
  setPolicy?(policy: SecurityPolicy): void;
}

/**
 * Points the engine at the Electron build of better-sqlite3 (unpackaged runs only). Keeps a value that is
 * already set (scripts/start.mjs sets it). Returns the path in use, or null.
 */
export function configureNativeBinding(env: NodeJS.ProcessEnv = process.env, electronVersion: string | undefined = process.versions.electron): string | null {
  if (app.isPackaged) return null;
  if (env.BPW_SQLITE_BINDING) return env.BPW_SQLITE_BINDING;
  if (!electronVersion) return null;
  const binding = electronNativeBindingPath(appRoot(), electronVersion);
  if (existsSync(binding)) {
    env.BPW_SQLITE_BINDING = binding;
    return binding;
  }
  console.error(
    `[main] 没有找到为 Electron ${electronVersion} 编译的 better-sqlite3（${binding}），工作区将无法打开。` +
      '请先运行 node scripts/electron-native.mjs，或直接用 npm start 启动。',
  );
  return null;
}

export function createEngineHost(policy: SecurityPolicy = { requireEncryption: false }): EngineLike {
  configureNativeBinding();
  return new EngineHost({
    // The renderer is untrusted: the engine touches only files granted from the dialogs (app-channels.ts).
    fileAccess: 'granted',
    policy,
    // Reports print to PDF with Electron itself (report-printer.ts).
    printer: createElectronPrinter(),
    log: (level, message, error) => {
      if (level === 'info') return;
      console.error(`[engine ${level}] ${message}${error?.detail ? `\n${error.detail}` : ''}`);
    },
  });
}

/**
 * Closes the workspace cleanly when nothing runs (so SQLite checkpoints its WAL), then stops the workers.
 * Running jobs are cancelled by close(). Bounded in time so that quitting never hangs.
 */
export async function shutdownEngine(engine: EngineLike, timeoutMs = 5000): Promise<void> {
  const work = (async () => {
    if (engine.runningJobs().length === 0) await engine.invoke('workspace.close', {});
    await engine.close();
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  try {
    await Promise.race([work.catch(() => undefined), timeout]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
