// Saved list views: a named set of work-order filters, one's own or shared with a role.
import { ref } from 'vue'
import { api, type Schemas } from '@/api/client'
import { unwrap } from '@/shared/errors'

export type SavedView = Schemas['SavedViewOut']
export type NewSavedView = Schemas['SavedViewIn']

const views = ref<SavedView[]>([])
const loaded = ref(false)

export function useSavedViews() {
  async function load(): Promise<void> {
    views.value = unwrap(await api.GET('/api/v1/saved-views'))
    loaded.value = true
  }

  async function create(v: NewSavedView): Promise<SavedView> {
    const created = unwrap(await api.POST('/api/v1/saved-views', { body: v }))
    await load()
    return created
  }

  async function remove(id: number): Promise<void> {
    unwrap(await api.DELETE('/api/v1/saved-views/{view_id}', { params: { path: { view_id: id } } }))
    views.value = views.value.filter((v) => v.id !== id)
  }

  return { views, loaded, load, create, remove }
}
