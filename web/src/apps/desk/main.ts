// The desk (staff workbench): Element Plus, vue-i18n, router; the only place Element Plus
// is imported as a whole.
import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { i18n } from './i18n'
import { makeRouter } from './router'
import { installApiHooks } from './apiHooks'
import './desk.css'

const router = makeRouter()
installApiHooks(router)

createApp(App).use(i18n).use(router).use(ElementPlus).mount('#app')
