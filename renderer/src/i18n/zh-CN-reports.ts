/**
 * 简体中文：报告与经营概览的界面文字。由 zh-CN.ts 合并进默认语言包；键与 en-reports.ts 完全一致（单元测试核对）。
 */
export const zhReports = {};
