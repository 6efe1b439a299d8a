// Desk routes under /desk/. Pages load lazily; the guard sends strangers to the login page
// and keeps role-only pages to their roles (the server checks again on every request).
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import DeskLayout from './DeskLayout.vue'
import { currentUser, type Role } from './session'
import {
  AUDITOR_ROLES, BOARD_ROLES, CREATOR_ROLES, CUSTOMER_EDITORS, DESK_ROLES, NOTIFY_ADMINS, SLA_ADMINS,
} from './roles'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    roles?: Role[]
    title?: string
  }
}


const routes: RouteRecordRaw[] = [
  {
    path: '/login', name: 'login', meta: { public: true, title: 'login.title' },
    component: () => import('@/modules/auth/LoginPage.vue'),
  },
  {
    path: '/', component: DeskLayout,
    children: [
      { path: '', redirect: { name: 'work-orders' } },
      {
        path: 'work-orders', name: 'work-orders', meta: { title: 'nav.workOrders' },
        component: () => import('@/modules/workorders/WorkOrderListPage.vue'),
      },
      {
        path: 'work-orders/new', name: 'work-order-new',
        meta: { roles: CREATOR_ROLES, title: 'nav.newOrder' },
        component: () => import('@/modules/workorders/WorkOrderCreatePage.vue'),
      },
      {
        path: 'work-orders/:id(\\d+)', name: 'work-order', props: (r) => ({ id: Number(r.params.id) }),
        meta: { title: 'nav.workOrders' },
        component: () => import('@/modules/workorders/WorkOrderDetailPage.vue'),
      },
      {
        path: 'customers', name: 'customers', meta: { roles: DESK_ROLES, title: 'nav.customers' },
        component: () => import('@/modules/customers/CustomerListPage.vue'),
      },
      {
        path: 'customers/new', name: 'customer-new',
        meta: { roles: CUSTOMER_EDITORS, title: 'customer.new' },
        component: () => import('@/modules/customers/CustomerDetailPage.vue'),
      },
      {
        path: 'customers/:id(\\d+)', name: 'customer', props: (r) => ({ id: Number(r.params.id) }),
        meta: { roles: DESK_ROLES, title: 'nav.customers' },
        component: () => import('@/modules/customers/CustomerDetailPage.vue'),
      },
      {
        path: 'devices', name: 'devices', meta: { roles: DESK_ROLES, title: 'nav.devices' },
        component: () => import('@/modules/devices/DeviceListPage.vue'),
      },
      {
        path: 'engineers', name: 'engineers', meta: { roles: DESK_ROLES, title: 'nav.engineers' },
        component: () => import('@/modules/engineers/EngineerListPage.vue'),
      },
      {
        path: 'suspected-fake-completions', name: 'suspected',
        meta: { roles: AUDITOR_ROLES, title: 'nav.suspected' },
        component: () => import('@/modules/workorders/SuspectedFakePage.vue'),
      },
      {
        path: 'board', name: 'board', meta: { roles: BOARD_ROLES, title: 'nav.board' },
        component: () => import('@/modules/sla/BoardPage.vue'),
      },
      {
        path: 'sla', name: 'sla', meta: { roles: SLA_ADMINS, title: 'nav.sla' },
        component: () => import('@/modules/sla/SlaSettingsPage.vue'),
      },
      {
        path: 'notifications/admin', name: 'notifications-admin', meta: { roles: NOTIFY_ADMINS, title: 'nav.notifyAdmin' },
        component: () => import('@/modules/notifications/admin/NotificationAdminPage.vue'),
      },
      {
        path: 'notifications/preferences', name: 'notification-preferences', meta: { title: 'prefs.title' },
        component: () => import('@/modules/notifications/preferences/PreferencesPage.vue'),
      },
      {
        path: ':rest(.*)*', name: 'not-found', meta: { title: 'common.notFound' },
        component: () => import('./NotFoundPage.vue'),
      },
    ],
  },
]

export function makeRouter() {
  const router = createRouter({ history: createWebHistory('/desk/'), routes })
  router.beforeEach(async (to) => {
    if (to.meta.public) return true
    const user = await currentUser().catch(() => null)
    if (!user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
    if (to.meta.roles && !to.meta.roles.includes(user.role)) return { name: 'work-orders' }
    return true
  })
  return router
}
