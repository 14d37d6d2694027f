/**
 * The customer list's query form (issue #14): the choices its dropdowns offer, read from the workspace,
 * and which columns say nothing because every customer has the same value. The engine side is
 * electron/engine/customers/filter-options.ts; the screen is renderer/src/features/customers/.
 */
import { z } from 'zod';
import { queryChannel } from './channel-def';

/** A community or a manager as a dropdown offers it: the code, the name, and how many customers it has. */
export interface FilterChoice {
  id: string;
  name: string;
  customers: number;
}

export interface CustomerFilterOptions {
  communities: FilterChoice[];
  managers: FilterChoice[];
  /** List columns whose value is the same for every customer (or empty for all): hidden unless chosen. */
  constantColumns: string[];
}

export const customerListChannels = {
  'customers.filterOptions': queryChannel<CustomerFilterOptions>()(z.strictObject({})),
} as const;
