/**
 * The IPC surface of the main process: exactly one ipcMain.handle per channel of shared/api.ts, nothing
 * else (no ipcMain.on, no sendSync). The renderer is untrusted, so every call is checked in this order:
 *
 * 1. the sender is the top frame of our main window, showing a page of app://workbench/;
 * 2. the payload parses with the channel's zod schema (parseRequest) — before anything else is done;
 * 3. `app` channels are answered here (app-channels.ts); all others go to the EngineHost, which validates
 *    again because the CLI and tests call it directly. `app` channels must never reach the host: it would
 *    treat any kind other than host/query as a job.
 *
 * Engine events (job.progress, job.finished) are forwarded to the main window with webContents.send.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  channels,
  parseRequest,
  type ChannelName,
  type Envelope,
  type EventName,
  type WorkspaceSummary,
} from '../../shared/api';
import type { AppChannelHandlers, AppChannelName } from './app-channels';
import type { EngineLike } from './engine';
import { isAppUrl } from './security';

export interface IpcOptions {
  engine: Pick<EngineLike, 'invoke' | 'onEvent'>;
  getWindow: () => BrowserWindow | null;
  appChannels: AppChannelHandlers;
  /** Called after workspace.open or workspace.create succeeded (to remember it as recent). */
  onWorkspaceOpened?: (summary: WorkspaceSummary) => void;
}

export const UNTRUSTED_SENDER_ERROR: Envelope<never> = {
  ok: false,
  error: { code: 'invalid_request', message: '已拒绝来自未知页面的请求', detail: 'IPC sender is not the main window on the app origin' },
};

/** True when the call comes from the top frame of our window, on the app's own origin. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, window: BrowserWindow | null): boolean {
  if (!window || window.isDestroyed()) return false;
  if (!event.sender || event.sender.id !== window.webContents.id) return false;
  const frame = event.senderFrame;
  if (!frame) return false; // the frame navigated away or was destroyed
  if (frame.parent !== null) return false; // subframes never talk to main
  return isAppUrl(frame.url);
}

function isAppChannel(channel: ChannelName): channel is AppChannelName {
  return channels[channel].kind === 'app';
}

/** Validates and answers one request for a known channel. Never throws. */
export async function dispatch(channel: ChannelName, payload: unknown, options: IpcOptions): Promise<Envelope<unknown>> {
  try {
    // Inside the try: validation itself must not be able to throw out of the handler.
    const parsed = parseRequest(channel, payload);
    if (!parsed.ok) return parsed;
    if (isAppChannel(channel)) {
      const handler = options.appChannels[channel] as (request: unknown) => Promise<Envelope<unknown>>;
      return await handler(parsed.data);
    }
    const envelope = await options.engine.invoke(channel, parsed.data);
    if (envelope.ok && (channel === 'workspace.open' || channel === 'workspace.create')) {
      options.onWorkspaceOpened?.(envelope.data as WorkspaceSummary);
    }
    return envelope;
  } catch (error) {
    return {
      ok: false,
      error: { code: 'internal', message: '操作失败，请重试', detail: error instanceof Error ? (error.stack ?? error.message) : String(error) },
    };
  }
}

/** Sends an engine event to the main window, while it shows our page. */
export function forwardEvent(window: BrowserWindow | null, event: EventName, payload: unknown): boolean {
  if (!window || window.isDestroyed()) return false;
  if (!EVENT_NAMES.includes(event)) return false;
  const contents = window.webContents;
  if (contents.isDestroyed() || !isAppUrl(contents.getURL())) return false;
  contents.send(event, payload);
  return true;
}

/** Registers one handler per api channel and forwards engine events; returns the function that undoes it. */
export function registerIpcHandlers(options: IpcOptions): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrustedSender(event, options.getWindow())) return UNTRUSTED_SENDER_ERROR;
      return dispatch(channel, payload, options);
    });
  }
  const stopEvents = options.engine.onEvent((event, payload) => {
    forwardEvent(options.getWindow(), event, payload);
  });
  return () => {
    stopEvents();
    for (const channel of CHANNEL_NAMES) ipcMain.removeHandler(channel);
  };
}
