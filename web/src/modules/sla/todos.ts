// My open to-dos (escalations hand supervisors one per overdue order), and marking one done.
import { ref, shallowRef } from 'vue'
import { api, type Schemas } from '@/api/client'
import { unwrap } from '@/shared/errors'

export type Todo = Schemas['TodoOut']

export function useTodos() {
  const items = shallowRef<Todo[]>([])
  const error = ref<unknown>(null)
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    try {
      items.value = unwrap(await api.GET('/api/v1/todos', { params: { query: { open_only: true } } }))
      error.value = null
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  async function done(todo: Todo): Promise<void> {
    unwrap(await api.POST('/api/v1/todos/{todo_id}/done', { params: { path: { todo_id: todo.id } } }))
    items.value = items.value.filter((t) => t.id !== todo.id)
  }

  return { items, error, loading, load, done }
}
