// The work-order list's filters: one shape for the URL, saved views and the API query.
// Keys are the API's own parameter names so a saved view means the same thing everywhere.
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import type { operations } from '@/api/schema'
import { dayRangeToIso } from '@/shared/dates'

export interface WoFilters {
  q?: string
  state?: string[]
  type?: string
  customer_id?: number
  assignee_id?: number
  device_id?: number
  /** first day, YYYY-MM-DD (inclusive) */
  created_from?: string
  /** last day, YYYY-MM-DD (inclusive) */
  created_to?: string
  /** only open orders past an SLA deadline */
  overdue?: boolean
}

export const PAGE_SIZES = [20, 50, 100]
export const DEFAULT_PAGE_SIZE = 20

const DAY = /^\d{4}-\d{2}-\d{2}$/

function one(v: LocationQuery[string] | unknown): string | undefined {
  const x = Array.isArray(v) ? v[0] : v
  return typeof x === 'string' && x !== '' ? x : undefined
}

function many(v: LocationQuery[string] | unknown): string[] {
  const xs = Array.isArray(v) ? v : v == null ? [] : [v]
  return xs.filter((x): x is string => typeof x === 'string' && x !== '')
}

function id(v: unknown): number | undefined {
  const s = typeof v === 'number' ? String(v) : one(v)
  return s && /^\d+$/.test(s) && Number(s) > 0 ? Number(s) : undefined
}

function flag(v: unknown): boolean {
  const x = Array.isArray(v) ? v[0] : v
  return x === true || x === 'true' || x === '1'
}

function day(v: unknown): string | undefined {
  const s = one(v)
  return s && DAY.test(s) ? s : undefined
}

/** Clean filters from any loose object (a URL query or a saved view's `filters`). */
export function normalizeFilters(raw: Record<string, unknown> | LocationQuery): WoFilters {
  const f: WoFilters = {}
  const q = one(raw.q)?.trim()
  if (q) f.q = q
  const state = many(raw.state)
  if (state.length) f.state = state
  const type = one(raw.type)
  if (type) f.type = type
  const customer = id(raw.customer_id)
  if (customer) f.customer_id = customer
  const assignee = id(raw.assignee_id)
  if (assignee) f.assignee_id = assignee
  const device = id(raw.device_id)
  if (device) f.device_id = device
  const from = day(raw.created_from)
  const to = day(raw.created_to)
  if (from && to) {
    f.created_from = from
    f.created_to = to
  }
  if (flag(raw.overdue)) f.overdue = true
  return f
}

export interface ListState {
  filters: WoFilters
  page: number
  pageSize: number
}

export function fromQuery(query: LocationQuery): ListState {
  const page = id(query.page) ?? 1
  const size = id(query.size)
  return {
    filters: normalizeFilters(query),
    page,
    pageSize: size && PAGE_SIZES.includes(size) ? size : DEFAULT_PAGE_SIZE,
  }
}

export function toQuery(s: ListState): LocationQueryRaw {
  const out: LocationQueryRaw = {}
  const f = s.filters
  if (f.q) out.q = f.q
  if (f.state?.length) out.state = f.state
  if (f.type) out.type = f.type
  if (f.customer_id) out.customer_id = String(f.customer_id)
  if (f.assignee_id) out.assignee_id = String(f.assignee_id)
  if (f.device_id) out.device_id = String(f.device_id)
  if (f.created_from && f.created_to) {
    out.created_from = f.created_from
    out.created_to = f.created_to
  }
  if (f.overdue) out.overdue = 'true'
  if (s.page > 1) out.page = String(s.page)
  if (s.pageSize !== DEFAULT_PAGE_SIZE) out.size = String(s.pageSize)
  return out
}

export type WoApiQuery = NonNullable<operations['work-orders-list_work_orders']['parameters']['query']>
type State = NonNullable<WoApiQuery['state']>[number]
type OrderType = NonNullable<WoApiQuery['type']>

/** The query for GET /api/v1/work-orders; days become [start of first, start of day after last). */
export function toApiQuery(s: ListState): WoApiQuery {
  const { created_from: from, created_to: to, state, type, overdue, ...rest } = s.filters
  const range = dayRangeToIso(from && to ? [from, to] : null)
  return {
    ...rest,
    ...(overdue ? { overdue: true } : {}),
    ...(state ? { state: state as State[] } : {}),
    ...(type ? { type: type as OrderType } : {}),
    ...(range.from ? { created_from: range.from, created_to: range.to } : {}),
    limit: s.pageSize,
    offset: (s.page - 1) * s.pageSize,
  }
}

export function isEmpty(f: WoFilters): boolean {
  return Object.keys(normalizeFilters(f as Record<string, unknown>)).length === 0
}

/** Same filters, ignoring key order and state order (to show which saved view is active). */
export function sameFilters(a: WoFilters, b: WoFilters): boolean {
  const canon = (f: WoFilters) => {
    const n = normalizeFilters(f as Record<string, unknown>)
    if (n.state) n.state = [...n.state].sort()
    return JSON.stringify(Object.entries(n).sort(([x], [y]) => x.localeCompare(y)))
  }
  return canon(a) === canon(b)
}
