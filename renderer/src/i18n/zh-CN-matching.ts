/**
 * 简体中文：产品匹配的界面文字。由 zh-CN.ts 合并进默认语言包；键与 en-matching.ts 完全一致（单元测试核对）。
 */
export const zhMatching = {};
