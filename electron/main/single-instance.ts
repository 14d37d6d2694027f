/**
 * One running app per user: two instances would each start an engine over the same workspace file. A
 * second launch hands over to the first, which brings its window to the front.
 */
import { app, type BrowserWindow } from 'electron';

/** Returns false when another instance holds the lock; the caller must then quit. */
export function acquireSingleInstanceLock(getWindow: () => BrowserWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => focusWindow(getWindow()));
  return true;
}

export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
