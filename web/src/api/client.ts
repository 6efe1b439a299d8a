// The typed API client: every call is checked against the generated schema.
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths, components } from './schema'

export type Schemas = components['schemas']

const TOKEN_KEY = 'bihuan.token'

export const tokenStore = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (t: string) => localStorage.setItem(TOKEN_KEY, t),
  clear: () => localStorage.removeItem(TOKEN_KEY),
}

const auth: Middleware = {
  onRequest({ request }) {
    const t = tokenStore.get()
    if (t) request.headers.set('Authorization', `Bearer ${t}`)
    return request
  },
}

export const api = createClient<paths>({ baseUrl: '' })
api.use(auth)

// The customer's pages are anonymous, also when a customer signs on an engineer's phone that
// holds a desk or engineer token: their calls never carry it.
export const publicApi = createClient<paths>({ baseUrl: '' })
