// Engineer phone app (installable PWA at /m/).
import { createApp } from 'vue'
import { api, tokenStore } from '@/api/client'
import { user } from '@/modules/field/session'
import App from './App.vue'
import { router } from './router'
import { i18n } from './i18n'

// an expired or revoked token sends the engineer back to sign in, to where he was
api.use({
  onResponse({ request, response }) {
    if (response.status === 401 && !request.url.includes('/auth/login')) {
      tokenStore.clear()
      user.value = null
      const here = router.currentRoute.value
      if (!here.meta.public) void router.replace({ path: '/login', query: { next: here.fullPath } })
    }
    return response
  },
})

createApp(App).use(i18n).use(router).mount('#app')

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/m/sw.js', { scope: '/m/' }).catch(() => { /* not installable, still usable */ })
  })
}
