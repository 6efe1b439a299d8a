// Middleware on the shared API client for the desk: speak the user's language, and on a 401
// anywhere drop the token and go to the login page.
import type { Middleware } from 'openapi-fetch'
import type { Router } from 'vue-router'
import { api } from '@/api/client'
import { currentLocale } from './i18n'
import { clearSession } from './session'

export function installApiHooks(router: Router): void {
  const hooks: Middleware = {
    onRequest({ request }) {
      request.headers.set('Accept-Language', currentLocale())
      return request
    },
    onResponse({ request, response }) {
      if (response.status === 401 && !new URL(request.url, location.href).pathname.endsWith('/auth/login')) {
        clearSession()
        const here = router.currentRoute.value
        if (here.name !== 'login') {
          void router.replace({ name: 'login', query: { redirect: here.fullPath } })
        }
      }
      return response
    },
  }
  api.use(hooks)
}
