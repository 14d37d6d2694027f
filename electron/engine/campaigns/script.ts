/**
 * 话术: what the manager says on the call. A campaign keeps one template (the goal's default below unless
 * the analyst wrote their own, or one per arm of an A/B test); each customer's line fills in how to address
 * them and the product. The facts behind the call (churn drivers, matching reasons) go in the list's own
 * column, for the manager to read before dialling, not to read out.
 */
import type { CampaignGoal } from '../../../shared/campaigns';

export const DEFAULT_SCRIPTS: Readonly<Record<CampaignGoal, string>> = {
  open_account: '{称呼}您好，我是您在本行的客户经理。想邀请您开通{产品}，办理只需几分钟，我可以帮您预约网点时间。',
  buy_product: '{称呼}您好，我是您的客户经理。结合您的资产情况，{产品}可能比较适合您，方便的话我给您简单介绍一下？',
  grow_assets: '{称呼}您好，我是您的客户经理。想和您聊聊资金的配置安排，看看有没有收益和流动性更适合您的存款或理财方式。',
  activate: '{称呼}您好，我是您的客户经理。您的账户有一段时间没有使用了，想了解一下有没有需要我们帮忙的地方，也给您介绍一下手机银行的便捷功能。',
  retain: '{称呼}您好，我是您的客户经理。感谢您一直以来对本行的支持，想了解您最近对我们的服务是否满意，有什么可以为您做得更好。',
};

/** 张先生 / 李女士 from the name and gender; 您 alone when either is unknown. */
export function salutation(name: string | null, gender: string | null): string {
  const surname = name ? [...name.trim()][0] : undefined;
  if (!surname || !/[\u4e00-\u9fff]/.test(surname)) return '';
  if (gender === 'M') return `${surname}先生`;
  if (gender === 'F') return `${surname}女士`;
  return '';
}

export function fillScript(template: string, values: { name: string | null; gender: string | null; product: string | null }): string {
  return template
    .replaceAll('{称呼}', salutation(values.name, values.gender))
    .replaceAll('{产品}', values.product ?? '我行的产品');
}
