// @vitest-environment node
import { describe, expect, it } from 'vitest'
import dayjs from 'dayjs'
import { fromQuery, isEmpty, normalizeFilters, sameFilters, toApiQuery, toQuery } from './listQuery'

describe('list query', () => {
  it('reads filters and paging from the URL, dropping junk', () => {
    const s = fromQuery({
      q: ' WO-2611 ', state: ['new', 'assigned'], type: 'repair', customer_id: '13', assignee_id: 'x',
      created_from: '2026-11-01', created_to: 'bad', page: '3', size: '50',
    })
    expect(s.filters).toEqual({ q: 'WO-2611', state: ['new', 'assigned'], type: 'repair', customer_id: 13 })
    expect(s.page).toBe(3)
    expect(s.pageSize).toBe(50)
  })

  it('accepts a single state and unknown page sizes fall back', () => {
    const s = fromQuery({ state: 'closed', size: '7' })
    expect(s.filters.state).toEqual(['closed'])
    expect(s.pageSize).toBe(20)
    expect(s.page).toBe(1)
  })

  it('round-trips through the URL', () => {
    const s = { filters: { q: 'x', state: ['on_hold'], assignee_id: 7, created_from: '2026-11-01', created_to: '2026-11-30' }, page: 2, pageSize: 100 }
    expect(fromQuery(toQuery(s) as never)).toEqual(s)
    expect(toQuery({ filters: {}, page: 1, pageSize: 20 })).toEqual({})
  })

  it('builds the API query: offset from page, days as [from, to)', () => {
    const q = toApiQuery({ filters: { state: ['new'], created_from: '2026-11-01', created_to: '2026-11-30' }, page: 3, pageSize: 20 })
    expect(q).toEqual({
      state: ['new'], limit: 20, offset: 40,
      created_from: dayjs('2026-11-01T00:00:00').toISOString(),
      created_to: dayjs('2026-12-01T00:00:00').toISOString(),
    })
  })

  it('takes saved-view filters as loosely as URLs, and compares them ignoring order', () => {
    const f = normalizeFilters({ state: ['b', 'a'], customer_id: 5, extra: 'ignored' })
    expect(f).toEqual({ state: ['b', 'a'], customer_id: 5 })
    expect(sameFilters(f, { customer_id: 5, state: ['a', 'b'] })).toBe(true)
    expect(sameFilters(f, { customer_id: 5 })).toBe(false)
    expect(isEmpty({})).toBe(true)
    expect(isEmpty({ q: '  ' })).toBe(true)
  })

  it('keeps "overdue only" in the URL, the API query and saved views', () => {
    const s = fromQuery({ overdue: 'true', state: 'assigned' })
    expect(s.filters).toEqual({ state: ['assigned'], overdue: true })
    expect(toQuery(s)).toEqual({ state: ['assigned'], overdue: 'true' })
    expect(toApiQuery(s)).toEqual({ state: ['assigned'], overdue: true, limit: 20, offset: 0 })
    expect(normalizeFilters({ overdue: true })).toEqual({ overdue: true })
    expect(normalizeFilters({ overdue: false })).toEqual({})
    expect(normalizeFilters({ overdue: 'no' })).toEqual({})
    expect(sameFilters({ overdue: true }, { overdue: true })).toBe(true)
    expect(sameFilters({ overdue: true }, {})).toBe(false)
    expect(isEmpty({ overdue: true })).toBe(false)
    expect(toApiQuery(fromQuery({})).overdue).toBeUndefined()
  })
})
