/**
 * English: the query form, paging and column settings shared by the list screens, and the customer list's
 * query fields (issue #14). Same keys as zh-CN-usability.ts (a unit test checks).
 */
export const enUsability = {
  listUi: {
    query: 'Search',
    reset: 'Reset',
    moreConditions: 'More conditions',
    fewerConditions: 'Fewer conditions',
    shownOf: '{shown} of {total} shown',
    shownAll: '{total} in all, all shown',
    shownUnknown: '{shown} shown',
    loadMore: 'Load more',
    loading: 'Loading…',
    columns: 'Columns',
    columnsTitle: 'Columns to show',
    columnsHint: 'Customer ID and name always stay on the left. Your choice is remembered on this computer.',
    columnsDefault: 'Default columns',
    columnsFrozen: 'fixed',
    columnsConstant: 'same for every customer, hidden by default',
    any: 'All',
    noneAssessed: 'Not assessed',
    scoresNeeded: 'Available after the customer analysis',
    churnNeeded: 'Available after churn scoring',
  },
  customerQuery: {
    keyword: 'ID / name',
    keywordPlaceholder: 'Customer ID or name',
    community: 'Community',
    manager: 'Manager',
    tier: 'Value tier',
    lifecycle: 'Lifecycle',
    churnBand: 'Churn risk',
    riskLevel: 'Risk tolerance',
    choiceCount: '{name} ({n})',
    advancedHint: 'These conditions apply together with the ones above',
  },
  /** Names a screen reader reads out: filter boxes without a visible label, progress bars (issue #14). */
  a11y: {
    tagCoverage: 'Coverage {pct}',
    valueTier: 'Value tier',
    ruleField: 'Condition field',
    ruleOperator: '{field}: comparison',
    ruleValue: '{field}: value',
    ruleFrom: '{field}: from',
    ruleTo: '{field}: to',
    pageSize: 'Rows per page',
    perPage: '{n} per page',
  },
};
