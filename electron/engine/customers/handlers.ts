/** The engine's answers to the channels of shared/customer-list.ts, joined into electron/engine/handlers/. */
import type { customerListChannels } from '../../../shared/customer-list';
import type { QueryHandlersFor } from '../handlers/types';
import { customerFilterOptions } from './filter-options';

type Channel = keyof typeof customerListChannels;

export const customerListQueryHandlers: QueryHandlersFor<Channel> = {
  'customers.filterOptions': (ctx) => customerFilterOptions(ctx.db()),
};
