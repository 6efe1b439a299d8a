// The bell's data for both apps (no UI kit here): my latest notifications and the unread
// count, polled every 30 s and on focus; mark one or all read.
import { ref, shallowRef } from 'vue'
import { api, type Schemas } from '@/api/client'
import { unwrap } from '@/shared/errors'
import { usePolling } from '@/shared/usePolling'

export type Notice = Schemas['NotificationOut']

export const BELL_SIZE = 10

export function useInbox(limit = BELL_SIZE, pollMs = 30_000) {
  const items = shallowRef<Notice[]>([])
  const unread = ref(0)
  const error = ref<unknown>(null)
  const loaded = ref(false)
  let seq = 0

  async function refresh(): Promise<void> {
    const mine = ++seq
    try {
      const page = unwrap(await api.GET('/api/v1/notifications', { params: { query: { limit } } }))
      if (mine !== seq) return
      items.value = page.items
      unread.value = page.unread
      error.value = null
      loaded.value = true
    } catch (e) {
      if (mine === seq) error.value = e
    }
  }

  async function markRead(n: Notice): Promise<void> {
    if (n.read_at) return
    const done = unwrap(await api.POST('/api/v1/notifications/{notification_id}/read',
      { params: { path: { notification_id: n.id } } }))
    seq++ // an answer already on its way predates this change
    items.value = items.value.map((x) => (x.id === n.id ? done : x))
    unread.value = Math.max(0, unread.value - 1)
    void refresh()
  }

  async function markAllRead(): Promise<void> {
    unwrap(await api.POST('/api/v1/notifications/read-all'))
    seq++
    const at = new Date().toISOString()
    items.value = items.value.map((x) => (x.read_at ? x : { ...x, read_at: at }))
    unread.value = 0
    void refresh()
  }

  const polling = usePolling(refresh, pollMs)
  return { items, unread, error, loaded, refresh, markRead, markAllRead, stop: polling.stop }
}
