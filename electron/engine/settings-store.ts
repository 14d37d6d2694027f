import { resolveSettings, settingsSchema, type Settings } from '../../shared/settings';
import { appendAudit } from './audit';
import type { Db } from './db/workspace';
import { EngineError } from './errors';

export function readSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value_json FROM settings').all() as { key: string; value_json: string }[];
  return resolveSettings(Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value_json) as unknown])));
}

/** Applies a partial update after validating the merged result; every change is audited. */
export function writeSettings(db: Db, patch: Record<string, unknown>): Settings {
  const current = readSettings(db);
  const merged = settingsSchema.safeParse({ ...current, ...patch });
  if (!merged.success) {
    throw new EngineError('bad_input', `设置值无效：${merged.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
  }
  const changed = Object.keys(patch).filter((key) => key in current && JSON.stringify((merged.data as Record<string, unknown>)[key]) !== JSON.stringify((current as Record<string, unknown>)[key]));
  if (changed.length === 0) return current;
  const upsert = db.prepare('INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at');
  db.transaction(() => {
    const now = new Date().toISOString();
    for (const key of changed) upsert.run(key, JSON.stringify((merged.data as Record<string, unknown>)[key]), now);
    appendAudit(db, {
      action: 'settings.change',
      params: Object.fromEntries(changed.map((key) => [key, { from: (current as Record<string, unknown>)[key], to: (merged.data as Record<string, unknown>)[key] }])),
    });
  })();
  return merged.data;
}
