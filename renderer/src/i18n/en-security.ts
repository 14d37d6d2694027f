/** English: the screens of security. Merged by en.ts; keys match zh-CN-security.ts (checked by a unit test). */
export const enSecurity = {};
