// Customer pages (no login): QR intake, progress, sign-off. Kept lean: Vant parts on demand.
import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import { i18n } from './i18n'

createApp(App).use(i18n).use(router).mount('#app')
