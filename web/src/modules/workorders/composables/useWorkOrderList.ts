// The list page's state lives in the URL (?state=…&page=2): links, reloads and the back
// button keep the user's filters; this loads a page whenever the URL changes.
import { computed, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { api, type Schemas } from '@/api/client'
import { unwrap } from '@/shared/errors'
import { ensureCustomers } from './useDirectory'
import { fromQuery, toApiQuery, toQuery, type ListState, type WoFilters } from '../listQuery'

export type WoRow = Schemas['WorkOrderOut']
type Page = Schemas['Page_WorkOrderOut_']

export function useWorkOrderList() {
  const route = useRoute()
  const router = useRouter()
  const state = computed<ListState>(() => fromQuery(route.query))
  const page = shallowRef<Page | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = null
    try {
      const query = toApiQuery(state.value)
      const data = unwrap(await api.GET('/api/v1/work-orders', { params: { query } }))
      if (mine !== seq) return
      page.value = data
      void ensureCustomers(data.items.filter((o) => !o.customer_name).map((o) => o.customer_id))
    } catch (e) {
      if (mine === seq) error.value = e
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function go(next: ListState) {
    void router.push({ query: toQuery(next) })
  }

  watch(() => route.fullPath, () => { if (route.name === 'work-orders') void load() }, { immediate: true })

  return {
    state,
    page,
    rows: computed<WoRow[]>(() => page.value?.items ?? []),
    loading,
    error,
    reload: load,
    setFilters: (filters: WoFilters) => go({ ...state.value, filters, page: 1 }),
    setPage: (p: number) => go({ ...state.value, page: p }),
    setPageSize: (size: number) => go({ ...state.value, pageSize: size, page: 1 }),
  }
}
