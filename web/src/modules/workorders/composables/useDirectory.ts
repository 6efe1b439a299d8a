// Names for ids shown in lists: engineers (all of them, loaded once) and customers (fetched
// by id as they appear, cached for the page's life).
import { computed, reactive, ref } from 'vue'
import { api, type Schemas } from '@/api/client'
import { useSession } from '@/apps/desk/session'
import { DESK_ROLES } from '@/apps/desk/roles'

// via the page type: the schema name of EngineerOut is not stable (the portal has one too)
export type Engineer = Schemas['Page_EngineerOut_']['items'][number]
export type Customer = Schemas['CustomerOut']

const engineers = ref<Engineer[]>([])
let engineersLoading: Promise<void> | null = null

const customers = reactive(new Map<number, Customer | null>())
const pending = new Set<number>()

/** Load every engineer (one page of 200 is the whole service team). */
export function loadEngineers(force = false): Promise<void> {
  if (!engineersLoading || force) {
    engineersLoading = api.GET('/api/v1/engineers', { params: { query: { limit: 200 } } })
      .then(({ data }) => { if (data) engineers.value = data.items })
    engineersLoading.catch(() => { engineersLoading = null })
  }
  return engineersLoading
}

/** Fetch the customers among `ids` not seen yet. */
export async function ensureCustomers(ids: (number | null | undefined)[]): Promise<void> {
  const missing = [...new Set(ids)].filter((id): id is number =>
    typeof id === 'number' && !customers.has(id) && !pending.has(id))
  await Promise.all(missing.map(async (id) => {
    pending.add(id)
    try {
      const { data } = await api.GET('/api/v1/customers/{customer_id}',
        { params: { path: { customer_id: id } } })
      customers.set(id, data ?? null)
    } finally {
      pending.delete(id)
    }
  }))
}

export function rememberCustomer(c: Customer): void {
  customers.set(c.id, c)
}

export function useDirectory() {
  // engineers themselves may not list the team (403); their orders carry names anyway
  if (useSession().hasRole(...DESK_ROLES)) void loadEngineers().catch(() => undefined)
  const byUser = computed(() => new Map(engineers.value.map((e) => [e.user_id, e])))
  return {
    engineers,
    engineerName: (userId: number | null | undefined) =>
      userId == null ? '' : byUser.value.get(userId)?.display_name ?? `#${userId}`,
    customerName: (id: number | null | undefined) =>
      id == null ? '' : customers.get(id)?.name ?? `#${id}`,
    customer: (id: number | null | undefined) => (id == null ? undefined : customers.get(id) ?? undefined),
  }
}
