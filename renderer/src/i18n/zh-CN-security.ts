/**
 * 简体中文：工作区安全（加密、备份、审计校验）的界面文字。由 zh-CN.ts 合并进默认语言包；键与 en-security.ts 完全一致（单元测试核对）。
 */
export const zhSecurity = {};
