/**
 * 简体中文：营销活动的界面文字。由 zh-CN.ts 合并进默认语言包；键与 en-campaigns.ts 完全一致（单元测试核对）。
 */
export const zhCampaigns = {};
