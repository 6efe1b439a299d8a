// Customer pages (no login): QR intake, progress, sign-off. Kept lean: Vant parts on demand,
// the page picked by path (modules/portal/nav.ts), a small translator (modules/portal/lang.ts).
import { createApp } from 'vue'
import App from './App.vue'
import { i18n } from './i18n'

createApp(App).use(i18n).mount('#app')
