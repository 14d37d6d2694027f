import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { keepScrollRegionsFocusable } from './a11y/scroll-regions';
import { currentLocale, i18n } from './i18n';
import { router } from './router';
import './styles.css';

document.documentElement.lang = currentLocale.value;
createApp(App).use(createPinia()).use(i18n).use(router).use(ElementPlus).mount('#app');
keepScrollRegionsFocusable();
