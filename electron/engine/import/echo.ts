/**
 * Values echoed back to the user are clipped (issue #15: a rejected 300 MB shared string was embedded whole
 * in its error message, stored in import_errors and printed twice). Quoted values in messages are short and
 * show control characters as visible escapes, so a hostile cell can neither flood nor drive a terminal.
 */
import type { ColumnMapping, RowError } from '../../../shared/api';
import { entity as entityDef, type EntityKey, type PiiKind } from '../../../shared/dictionary';
import { maskValue } from '../../../shared/masking';

/** Control characters (C0 but tab and line breaks, DEL, C1) and the line and paragraph separators. */
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g;

/** At most `max` chars of `text`, with … when cut; a surrogate pair is never split. */
export function clipValue(text: string, max = 200): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** A value as a message quotes it: at most 40 chars, control characters as \xNN, line breaks as ⏎. */
export function quoteValue(text: string, max = 40): string {
  return clipValue(text, max)
    .replace(/\r\n|\r|\n/g, '⏎')
    .replace(/\t/g, '\\t')
    .replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Row errors as the screen shows them with masking on: a rejected mobile or ID number is still one, so the
 * value of a column that maps to a PII field is masked, in the message that quotes it too. The workspace's
 * import_errors keep the value; the error export masks it the same way.
 */
export function maskRowErrors(errors: readonly RowError[], entityKey: EntityKey, mapping: ColumnMapping): RowError[] {
  const fields = new Map(entityDef(entityKey).fields.map((f) => [f.key, f]));
  const pii = new Map<string, PiiKind>();
  for (const [header, key] of Object.entries(mapping.columns)) {
    const kind = fields.get(key)?.pii;
    if (kind) pii.set(header, kind);
  }
  if (pii.size === 0) return [...errors];
  return errors.map((e) => {
    const kind = e.column === null ? undefined : pii.get(e.column);
    if (!kind || e.value === null) return e;
    const masked = maskValue(kind, e.value) ?? '';
    return { ...e, value: masked, message: e.message.split(quoteValue(e.value)).join(quoteValue(masked)) };
  });
}
