// Customer pages: /r/<device token> to report, /t/<tracking code> to follow and sign.
import { createRouter, createWebHistory } from 'vue-router'
// the two pages a scan or a link opens are in the entry: no second script round trip before
// the page can show; the sign page (with signature_pad) loads when opened
import IntakePage from '@/modules/portal/IntakePage.vue'
import ProgressPage from '@/modules/portal/ProgressPage.vue'

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/r/:token', component: IntakePage },
    { path: '/t/:code', component: ProgressPage },
    { path: '/t/:code/confirm', component: () => import('@/modules/portal/ConfirmPage.vue') },
    { path: '/:rest(.*)*', component: () => import('./NotFound.vue') },
  ],
})
