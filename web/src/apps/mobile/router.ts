// Engineer app under /m/: sign in, my orders, one order.
import { createRouter, createWebHistory } from 'vue-router'
import { currentUser } from '@/modules/field/session'
import OrdersPage from '@/modules/field/OrdersPage.vue'

export const router = createRouter({
  history: createWebHistory('/m/'),
  routes: [
    { path: '/login', component: () => import('@/modules/field/LoginPage.vue'), meta: { public: true } },
    { path: '/', component: OrdersPage },
    { path: '/orders/:id(\\d+)', component: () => import('@/modules/field/OrderPage.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  let u = null
  try {
    u = await currentUser()
  } catch {
    return true // offline: let the page show its own network error instead of a login loop
  }
  return u ? true : { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
})
