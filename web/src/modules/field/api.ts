// The engineer's calls: his orders, one order, its actions, note and photos.
import { api, type Schemas } from '@/api/client'
import { unwrap } from '@/modules/portal/http'
import { currentGps, gpsHeader, type Gps } from './gps'

// list/detail rows carry display names for the phone (the engineer may not read customers/devices)
interface Display {
  customer_name?: string | null
  device_model?: string | null
  device_serial?: string | null
  tracking_code?: string | null
  fault_label?: Partial<Record<string, string>> | null
}
export type OrderRow = Schemas['WorkOrderOut'] & Display
export type OrderDetail = Schemas['WorkOrderDetail'] & Display
export type Action = Schemas['ActionOut']
export type State = Schemas['State']

export const login = (username: string, password: string) =>
  unwrap(api.POST('/api/v1/auth/login', { body: { username, password } }))

export const me = () => unwrap(api.GET('/api/v1/auth/me'))

export const myOrders = (assigneeId: number, state: State[], limit = 50) =>
  unwrap(api.GET('/api/v1/work-orders', { params: { query: { assignee_id: assigneeId, state, limit } } })) as Promise<{
    items: OrderRow[]
    total: number
  }>

export const deviceHistory = (deviceId: number) =>
  unwrap(api.GET('/api/v1/work-orders', { params: { query: { device_id: deviceId, limit: 10 } } })) as Promise<{
    items: OrderRow[]
  }>

export const getOrder = (id: number) =>
  unwrap(api.GET('/api/v1/work-orders/{order_id}', { params: { path: { order_id: id } } })) as Promise<OrderDetail>

/** Move the order; the GPS fix (when the phone gives one in time) goes in the body and a header. */
export async function transition(order: OrderDetail, action: string, reason: string | null, gps: Gps | null) {
  return unwrap(api.POST('/api/v1/work-orders/{order_id}/transitions', {
    params: { path: { order_id: order.id } },
    body: { action, reason: reason || null, expected_version: order.version, gps },
    headers: gps ? { 'X-Client-GPS': gpsHeader(gps) } : {},
  })) as Promise<OrderDetail>
}

export const saveNote = (order: OrderDetail, repair_note: string) =>
  unwrap(api.PATCH('/api/v1/work-orders/{order_id}', {
    params: { path: { order_id: order.id } },
    body: { repair_note, expected_version: order.version },
  }))

export function uploadPhoto(orderId: number, file: File) {
  const body = new FormData()
  body.append('file', file, file.name)
  return unwrap(api.POST('/api/v1/work-orders/{order_id}/attachments', {
    params: { path: { order_id: orderId } },
    body: body as never,
    bodySerializer: (b: unknown) => b as FormData,
  }))
}

/** An attachment's bytes through the bearer-authenticated client, as a blob: URL. */
export async function attachmentUrl(id: number): Promise<string> {
  const r = await api.GET('/api/v1/attachments/{attachment_id}/content', {
    params: { path: { attachment_id: id } },
    parseAs: 'blob',
  })
  if (!r.response.ok || !r.data) throw new Error(`attachment ${id}: ${r.response.status}`)
  return URL.createObjectURL(r.data as Blob)
}

/** The id in an `attachment:<id>` photo ref, or null for other kinds of refs. */
export function attachmentId(ref: string): number | null {
  const m = /^attachment:(\d+)$/.exec(ref)
  return m ? Number(m[1]) : null
}

export const metaInfo = () => unwrap(api.GET('/api/v1/meta')) as Promise<{
  enums: Record<string, { value: string; label: Partial<Record<string, string>>; color: string }[]>
}>

export { currentGps }
