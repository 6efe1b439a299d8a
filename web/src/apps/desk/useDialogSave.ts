// A desk dialog's save: one request at a time; its error kept for the form (formErrors reads
// it); on success a toast, the dialog closed and `done` given what the server answered.
import { ref, type Ref } from 'vue'
import { notifySuccess } from './notify'

export function useDialogSave<T>(open: Ref<boolean>, done: (saved: T) => void) {
  const failure = ref<unknown>(null)
  const busy = ref(false)

  async function run(request: () => Promise<T>, message: string): Promise<void> {
    failure.value = null
    busy.value = true
    try {
      const saved = await request()
      notifySuccess(message)
      open.value = false
      done(saved)
    } catch (e) {
      failure.value = e
    } finally {
      busy.value = false
    }
  }

  return { failure, busy, run }
}
