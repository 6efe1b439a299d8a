// Customer pages: /r/<device token> to report, /t/<tracking code> to follow and sign.
import { createRouter, createWebHistory } from 'vue-router'

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/r/:token', component: () => import('@/modules/portal/IntakePage.vue') },
    { path: '/t/:code', component: () => import('@/modules/portal/ProgressPage.vue') },
    { path: '/t/:code/confirm', component: () => import('@/modules/portal/ConfirmPage.vue') },
    { path: '/:rest(.*)*', component: () => import('./NotFound.vue') },
  ],
})
