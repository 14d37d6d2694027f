/**
 * Duplicate records that a primary key cannot catch. Keys are unique by schema in every table, so the one
 * real risk is the same person under two customer numbers (a re-opened account, two core systems merged):
 * customers sharing an ID number, or sharing name, birth date and mobile. The count is of customers involved,
 * so that the analyst can look each of them up.
 */
import type { EntityKey } from '../../../shared/dictionary';
import type { Db } from '../db/workspace';

const CUSTOMER_DUPLICATES = `
SELECT count(*) AS n FROM customers c
WHERE (c.id_number IS NOT NULL AND c.id_number <> '' AND c.id_number IN (
         SELECT id_number FROM customers WHERE id_number IS NOT NULL AND id_number <> '' GROUP BY id_number HAVING count(*) > 1))
   OR ((c.name, c.birth_date, c.mobile) IN (
         SELECT name, birth_date, mobile FROM customers
         WHERE name IS NOT NULL AND birth_date IS NOT NULL AND mobile IS NOT NULL
         GROUP BY name, birth_date, mobile HAVING count(*) > 1))`;

export function countDuplicates(db: Db, entity: EntityKey): number {
  if (entity !== 'customers') return 0;
  return (db.prepare(CUSTOMER_DUPLICATES).get() as { n: number }).n;
}
