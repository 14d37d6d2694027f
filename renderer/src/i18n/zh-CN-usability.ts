/**
 * 简体中文：各列表页共用的查询表单、分页和列设置，以及客户列表的查询条件（issue #14）。由 zh-CN.ts 合并进默认语言包；
 * 键与 en-usability.ts 完全一致（单元测试核对）。
 */
export const zhUsability = {
  listUi: {
    query: '查询',
    reset: '重置',
    moreConditions: '更多条件',
    fewerConditions: '收起更多条件',
    shownOf: '已显示 {shown} 条，共 {total} 条',
    shownAll: '共 {total} 条，已全部显示',
    shownUnknown: '已显示 {shown} 条',
    loadMore: '加载更多',
    loading: '正在加载…',
    columns: '列设置',
    columnsTitle: '显示哪些列',
    columnsHint: '客户号和客户姓名始终显示在最左侧。所选的列会记在本机，下次打开仍然有效。',
    columnsDefault: '恢复默认列',
    columnsFrozen: '固定',
    columnsConstant: '所有客户相同，默认隐藏',
    any: '全部',
    noneAssessed: '未测评',
    scoresNeeded: '运行客户分析后可用',
    churnNeeded: '流失打分后可用',
  },
  customerQuery: {
    keyword: '客户号/姓名',
    keywordPlaceholder: '输入客户号或姓名',
    community: '所属社区',
    manager: '客户经理',
    tier: '价值层级',
    lifecycle: '生命周期',
    churnBand: '流失风险',
    riskLevel: '风险承受等级',
    choiceCount: '{name}（{n} 人）',
    advancedHint: '以下条件与上面的查询条件同时满足',
  },
  /** 屏幕阅读器读出的名称：没有可见标签的筛选框、进度条（issue #14）。 */
  a11y: {
    tagCoverage: '覆盖率 {pct}',
    valueTier: '价值层级',
    ruleField: '条件字段',
    ruleOperator: '{field}的比较方式',
    ruleValue: '{field}的取值',
    ruleFrom: '{field}的起始值',
    ruleTo: '{field}的截止值',
    pageSize: '每页条数',
    perPage: '{n} 条/页',
  },
};
