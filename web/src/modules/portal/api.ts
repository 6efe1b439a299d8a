// The customer's public endpoints (no login), through the typed client.
import { publicApi as api, type Schemas } from '@/api/client'
import { unwrap } from './http'

export type PortalDevice = Schemas['PortalDevice']
export type PortalTrack = Schemas['PortalTrack']
export type ReportOut = Schemas['PortalReport']

interface Prefetch { url: string; res: Promise<Response>; body?: unknown }
const w = window as unknown as { __bihuanPrefetch?: Prefetch }

/** portal.html starts the first read before any script loads; the same URL, once, takes it. */
function prefetched(req: Request): Promise<Response> {
  const p = w.__bihuanPrefetch
  if (p && p.url === req.url) {
    w.__bihuanPrefetch = undefined
    return p.res
  }
  return globalThis.fetch(req)
}

/** That first read's parsed answer, when it came back good before the page started: taken once. */
function arrived<T>(path: string): T | undefined {
  const p = w.__bihuanPrefetch
  if (!p || p.body === undefined || p.url !== location.origin + path) return undefined
  w.__bihuanPrefetch = undefined
  return p.body as T
}

export const getDevice = (token: string) =>
  unwrap(api.GET('/api/v1/portal/devices/{token}', { params: { path: { token } }, fetch: prefetched }))

export const arrivedDevice = (token: string) =>
  arrived<PortalDevice>(`/api/v1/portal/devices/${encodeURIComponent(token)}`)

export interface ReportForm {
  fault_type: string
  phone: string
  name?: string
  description?: string
  files: File[]
}

export function submitReport(token: string, form: ReportForm) {
  const body = new FormData()
  body.append('fault_type', form.fault_type)
  body.append('phone', form.phone)
  if (form.name) body.append('name', form.name)
  if (form.description) body.append('description', form.description)
  for (const f of form.files) body.append('files', f, f.name)
  return unwrap(api.POST('/api/v1/portal/devices/{token}/reports', {
    params: { path: { token } },
    // FormData goes out as multipart; the browser sets the boundary
    body: body as never,
    bodySerializer: (b: unknown) => b as FormData,
  }))
}

export const getTrack = (code: string) =>
  unwrap(api.GET('/api/v1/portal/track/{code}', { params: { path: { code } }, fetch: prefetched }))

export const arrivedTrack = (code: string) => arrived<PortalTrack>(`/api/v1/portal/track/${encodeURIComponent(code)}`)

export const confirmOrder = (code: string, body: { signed_by: string; strokes: unknown[]; png: string }) =>
  unwrap(api.POST('/api/v1/portal/track/{code}/confirm', { params: { path: { code } }, body }))

export const rejectOrder = (code: string, reason: string) =>
  unwrap(api.POST('/api/v1/portal/track/{code}/reject', { params: { path: { code } }, body: { reason } }))
