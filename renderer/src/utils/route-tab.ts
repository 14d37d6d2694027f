/**
 * The open tab of a tabbed screen, kept in the route's `?tab=` so that a link, the back button and a reload
 * land on the same tab. An unknown or missing value reads as `fallback`. Switching tabs replaces the
 * route's query with just the tab unless `keepQuery` is set (the tiers screen keeps its month pickers).
 */
import { computed, type WritableComputedRef } from 'vue';
import { useRoute, useRouter } from 'vue-router';

export function useRouteTab<Tab extends string>(tabs: readonly Tab[], fallback: Tab, options: { keepQuery?: boolean } = {}): WritableComputedRef<Tab> {
  const route = useRoute();
  const router = useRouter();
  return computed<Tab>({
    get: () => ((tabs as readonly string[]).includes(String(route.query.tab)) ? (route.query.tab as Tab) : fallback),
    set: (value) => void router.replace({ query: { ...(options.keepQuery ? route.query : {}), tab: value } }),
  });
}
