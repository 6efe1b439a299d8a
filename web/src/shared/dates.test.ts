// @vitest-environment node
import { describe, expect, it } from 'vitest'
import dayjs from 'dayjs'
import { dayRangeToIso, formatDate, formatDateTime, formatDuration } from './dates'

describe('dates', () => {
  it('formats local date and time', () => {
    const iso = dayjs('2026-11-20T18:17:27').toISOString()
    expect(formatDateTime(iso)).toBe('2026-11-20 18:17')
    expect(formatDateTime(iso, true)).toBe('2026-11-20 18:17:27')
    expect(formatDate('2026-11-20')).toBe('2026-11-20')
    expect(formatDateTime(null)).toBe('')
  })

  it('says durations in words', () => {
    expect(formatDuration(8.9, 'zh-CN')).toBe('9 秒')
    expect(formatDuration(192, 'en')).toBe('3 min 12 s')
    expect(formatDuration(90061, 'zh-CN')).toBe('1 天 1 小时')
    expect(formatDuration(null, 'en')).toBe('')
  })

  it('turns a day range into [start of first day, start of the day after the last)', () => {
    const r = dayRangeToIso(['2026-11-01', '2026-11-30'])
    expect(r.from).toBe(dayjs('2026-11-01T00:00:00').toISOString())
    expect(r.to).toBe(dayjs('2026-12-01T00:00:00').toISOString())
    expect(dayRangeToIso(null)).toEqual({})
  })
})
