import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import WorkspaceView from './features/workspace/WorkspaceView.vue';

/** Screens of DESIGN.md §5. `nav` is the i18n key of the menu entry; `soon` marks screens a later issue fills. */
export interface NavMeta {
  nav: string;
  group: 'data' | 'analysis' | 'marketing' | 'system';
  icon: string;
  soon?: boolean;
}

const soon = () => import('./features/placeholder/ComingSoonView.vue');

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/workspace' },
  { path: '/workspace', name: 'workspace', component: WorkspaceView, meta: { nav: 'nav.workspace', group: 'data', icon: 'FolderOpened' } },
  { path: '/import', name: 'import', component: () => import('./features/import/ImportView.vue'), meta: { nav: 'nav.import', group: 'data', icon: 'Upload' } },
  { path: '/quality', name: 'quality', component: () => import('./features/quality/QualityView.vue'), meta: { nav: 'nav.quality', group: 'data', icon: 'DataAnalysis' } },
  { path: '/customers', name: 'customers', component: () => import('./features/customers/CustomerListView.vue'), meta: { nav: 'nav.customers', group: 'analysis', icon: 'User' } },
  { path: '/customers/:id', name: 'portrait', component: () => import('./features/portrait/PortraitView.vue'), props: true, meta: { nav: 'nav.portrait', group: 'analysis', icon: 'User', hidden: true } },
  { path: '/tiers', name: 'tiers', component: () => import('./features/tiers/TiersView.vue'), meta: { nav: 'nav.tiers', group: 'analysis', icon: 'TrendCharts' } },
  { path: '/tags', name: 'tags', component: () => import('./features/tags/TagsView.vue'), meta: { nav: 'nav.tags', group: 'analysis', icon: 'PriceTag' } },
  { path: '/segments', name: 'segments', component: () => import('./features/segments/SegmentsView.vue'), meta: { nav: 'nav.segments', group: 'analysis', icon: 'PieChart' } },
  { path: '/groups', name: 'groups', component: () => import('./features/groups/GroupPortraitView.vue'), meta: { nav: 'nav.groups', group: 'analysis', icon: 'Histogram' } },
  { path: '/churn', name: 'churn', component: () => import('./features/churn/ChurnView.vue'), meta: { nav: 'nav.churn', group: 'analysis', icon: 'Warning' } },
  { path: '/products', name: 'products', component: soon, meta: { nav: 'nav.products', group: 'marketing', icon: 'Goods', soon: true } },
  { path: '/community', name: 'community', component: soon, meta: { nav: 'nav.community', group: 'marketing', icon: 'OfficeBuilding', soon: true } },
  { path: '/campaigns', name: 'campaigns', component: () => import('./features/campaigns/CampaignsView.vue'), meta: { nav: 'nav.campaigns', group: 'marketing', icon: 'Promotion' } },
  { path: '/campaigns/new', name: 'campaign-new', component: () => import('./features/campaigns/CampaignWizard.vue'), meta: { nav: 'nav.campaigns', group: 'marketing', icon: 'Promotion', hidden: true } },
  { path: '/campaigns/:id', name: 'campaign', component: () => import('./features/campaigns/CampaignDetailView.vue'), props: true, meta: { nav: 'nav.campaigns', group: 'marketing', icon: 'Promotion', hidden: true } },
  { path: '/reports', name: 'reports', component: soon, meta: { nav: 'nav.reports', group: 'marketing', icon: 'Document', soon: true } },
  { path: '/audit', name: 'audit', component: () => import('./features/audit/AuditView.vue'), meta: { nav: 'nav.audit', group: 'system', icon: 'Tickets' } },
  { path: '/settings', name: 'settings', component: () => import('./features/settings/SettingsView.vue'), meta: { nav: 'nav.settings', group: 'system', icon: 'Setting' } },
  { path: '/:pathMatch(.*)*', redirect: '/workspace' },
];

export const router = createRouter({ history: createWebHashHistory(), routes });
