/**
 * What "a reason" means in the tests: the customer's own figure, or one of the digit-free risks reasons.ts
 * can state. Never a bare feature or topic name, never "风险较高", never good news.
 */
import { TOPIC_LABELS } from '../../../../electron/engine/analytics/churn/reasons';

/** Every digit-free sentence reasons.ts can produce, each a risk about the customer. */
export const SPECIFIC_PHRASES: readonly string[] = ['开户以来没有过主动交易', '近90天没有交易', '近3个月没有任何资金往来', '名下已无在持产品', '不使用手机银行'];

/** Wordings of the audit that read as good news, or as nothing at all. */
const GOOD_NEWS = [/无资金流出$/, /资金流入 [\d.,]+ 万元$/, /^持有 \d+ 个产品$/, /在 0 天前/, /增长/, /无投诉/, /年龄/];

export function isSpecificRisk(text: string): boolean {
  if (text.trim() === '' || (Object.values(TOPIC_LABELS) as string[]).includes(text)) return false;
  if (GOOD_NEWS.some((pattern) => pattern.test(text))) return false;
  return /\d/.test(text) || SPECIFIC_PHRASES.includes(text);
}
