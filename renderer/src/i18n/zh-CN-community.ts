/**
 * 简体中文：社区营销的界面文字。由 zh-CN.ts 合并进默认语言包；键与 en-community.ts 完全一致（单元测试核对）。
 */
export const zhCommunity = {};
