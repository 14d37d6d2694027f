/**
 * The contact columns the customer list, the churn risk list and their exports carry (issue #10 §4): the
 * mobile number (masked unless masking is off), marketing consent, 勿扰 and the date of the last recorded
 * contact, so nobody calls a customer who refused marketing without seeing it. Looked up for a page of
 * ids at a time.
 */
import { maskValue } from '../../../shared/masking';
import type { Db } from '../db/workspace';
import { lastContacts } from './facts';

export interface ContactColumns {
  mobile: string | null;
  /** 1 / 0, or null when the branch's file does not say. */
  consent_marketing: number | null;
  do_not_contact: number | null;
  last_contact_date: string | null;
}

export const CONTACT_COLUMN_LABELS: Readonly<Record<keyof ContactColumns, string>> = {
  mobile: '手机号',
  consent_marketing: '同意营销',
  do_not_contact: '勿扰',
  last_contact_date: '上次接触日期',
};

export function contactColumns(db: Db, ids: readonly string[], maskPii: boolean): Map<string, ContactColumns> {
  if (ids.length === 0) return new Map();
  const rows = db
    .prepare('SELECT customer_id, mobile, consent_marketing, do_not_contact FROM customers WHERE customer_id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as { customer_id: string; mobile: string | null; consent_marketing: number | null; do_not_contact: number | null }[];
  const last = lastContacts(db, ids);
  return new Map(
    rows.map((r) => [
      r.customer_id,
      {
        mobile: maskPii ? maskValue('mobile', r.mobile) : r.mobile,
        consent_marketing: r.consent_marketing,
        do_not_contact: r.do_not_contact,
        last_contact_date: last.get(r.customer_id) ?? null,
      },
    ]),
  );
}
