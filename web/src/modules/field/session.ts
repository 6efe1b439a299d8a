// Who is signed in on this phone. The token lives in localStorage (`bihuan.token`, shared with
// the typed client); the user is fetched again on each start so a revoked token shows at once.
import { ref } from 'vue'
import { tokenStore } from '@/api/client'
import { login, me } from './api'

export type User = Awaited<ReturnType<typeof me>>

export const user = ref<User | null>(null)

export const hasToken = () => !!tokenStore.get()

export async function signIn(username: string, password: string) {
  const r = await login(username, password)
  tokenStore.set(r.access_token)
  user.value = r.user
}

/** The signed-in user, loading it once; null (and the token dropped) when it is no longer valid. */
export async function currentUser(): Promise<User | null> {
  if (user.value) return user.value
  if (!hasToken()) return null
  try {
    user.value = await me()
  } catch (e) {
    if ((e as { status?: number }).status === 401) tokenStore.clear()
    else throw e
  }
  return user.value
}

export function signOut() {
  tokenStore.clear()
  user.value = null
}
