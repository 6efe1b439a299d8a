// A paged list from the API ({items, total, limit, offset, total_exact}), reloaded on demand.
import { ref, shallowRef, type Ref } from 'vue'

export interface PageOf<T> {
  items: T[]
  total: number
  limit: number
  offset: number
  total_exact?: boolean
}

export function usePaged<T>(fetchPage: (limit: number, offset: number) => Promise<PageOf<T>>, size = 20) {
  const items = shallowRef<T[]>([]) as Ref<T[]>
  const total = ref(0)
  const exact = ref(true)
  const page = ref(1)
  const pageSize = ref(size)
  const loading = ref(false)
  const error = ref<unknown>(null)
  let seq = 0

  async function load(): Promise<void> {
    const mine = ++seq
    loading.value = true
    error.value = null
    try {
      const data = await fetchPage(pageSize.value, (page.value - 1) * pageSize.value)
      if (mine !== seq) return
      items.value = data.items
      total.value = data.total
      exact.value = data.total_exact ?? true
    } catch (e) {
      if (mine === seq) error.value = e
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  return {
    items, total, exact, page, pageSize, loading, error, load,
    /** back to page 1 (after a filter changed) and load */
    reset: () => { page.value = 1; return load() },
    setPage: (p: number) => { page.value = p; return load() },
    setPageSize: (s: number) => { pageSize.value = s; page.value = 1; return load() },
  }
}
