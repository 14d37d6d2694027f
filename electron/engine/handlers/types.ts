import type { ChannelName, Channels, JobChannel, ParsedRequestOf, ResultOf } from '../../../shared/api';
import type { JobContext, QueryContext } from '../context';

export type QueryChannel = { [C in ChannelName]: Channels[C]['kind'] extends 'query' ? C : never }[ChannelName];

export type QueryHandlers = {
  [C in QueryChannel]: (ctx: QueryContext, request: ParsedRequestOf<C>) => ResultOf<C> | Promise<ResultOf<C>>;
};

export type JobHandlers = {
  [C in JobChannel]: (ctx: JobContext, request: ParsedRequestOf<C>) => Promise<ResultOf<C>>;
};

/** The query handlers of one capability's channels (the keys of its channel object in shared/). */
export type QueryHandlersFor<K extends string> = Pick<QueryHandlers, Extract<QueryChannel, K>>;

/** The job handlers of one capability's channels. */
export type JobHandlersFor<K extends string> = Pick<JobHandlers, Extract<JobChannel, K>>;
