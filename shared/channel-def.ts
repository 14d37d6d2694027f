/**
 * How a channel of shared/api.ts is declared. Each capability keeps its channels in a file of its own
 * (shared/matching.ts, shared/campaigns.ts, …) built with these helpers; shared/api.ts joins them into the
 * one contract.
 */
import type { z } from 'zod';

export type ChannelKind = 'app' | 'host' | 'query' | 'job';

export interface ChannelDef<K extends ChannelKind, Req extends z.ZodType, Res> {
  kind: K;
  request: Req;
  /** Type-only: the response (for jobs, the result carried by `job.finished`). Never read at run time. */
  response: Res;
}

/** `queryChannel<Response>()(requestSchema)`: the response type is stated, the request type inferred. */
const define =
  <K extends ChannelKind>(kind: K) =>
  <Res>() =>
  <Req extends z.ZodType>(request: Req): ChannelDef<K, Req, Res> => ({ kind, request, response: undefined as unknown as Res });

export const appChannel = define('app');
export const hostChannel = define('host');
export const queryChannel = define('query');
export const jobChannel = define('job');
