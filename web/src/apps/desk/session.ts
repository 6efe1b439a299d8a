// Who is signed in: the token lives in localStorage (tokenStore), the user in memory.
import { computed, ref } from 'vue'
import { api, tokenStore, type Schemas } from '@/api/client'
import { unwrap } from '@/shared/errors'

export type User = Schemas['UserOut']
export type Role = Schemas['Role']

const user = ref<User | null>(null)

export function useSession() {
  return {
    user,
    role: computed<Role | null>(() => user.value?.role ?? null),
    hasRole: (...roles: Role[]) => !!user.value && roles.includes(user.value.role),
  }
}

export function isSignedIn(): boolean {
  return tokenStore.get() !== null
}

/** Sign in; throws an ApiError carrying the server's message on failure. */
export async function login(username: string, password: string): Promise<User> {
  const out = unwrap(await api.POST('/api/v1/auth/login', { body: { username, password } }))
  tokenStore.set(out.access_token)
  user.value = out.user
  return out.user
}

/** The current user, loaded once per page; null when the token is missing or rejected. */
export async function currentUser(): Promise<User | null> {
  if (user.value) return user.value
  if (!isSignedIn()) return null
  const { data } = await api.GET('/api/v1/auth/me')
  user.value = data ?? null
  return user.value
}

/** Forget the session locally (after a 401 or on logout). */
export function clearSession(): void {
  tokenStore.clear()
  user.value = null
}

export async function logout(): Promise<void> {
  try {
    await api.POST('/api/v1/auth/logout')
  } finally {
    clearSession()
  }
}
