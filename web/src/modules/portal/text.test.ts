// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { errorText, formatDate, formatTime, pick } from './text'

describe('pick', () => {
  it('chooses the language and falls back to Chinese', () => {
    expect(pick({ 'zh-CN': '处理中', en: 'In progress' }, 'en')).toBe('In progress')
    expect(pick({ 'zh-CN': '处理中' }, 'en')).toBe('处理中')
    expect(pick(null, 'en')).toBe('')
  })
})

describe('formatTime', () => {
  it('formats local time and ignores garbage', () => {
    const d = new Date(2026, 10, 21, 9, 5)
    expect(formatTime(d.toISOString())).toBe('2026-11-21 09:05')
    expect(formatTime('nope')).toBe('')
    expect(formatTime(null)).toBe('')
    expect(formatDate('2027-01-31')).toBe('2027-01-31')
  })
})

describe('errorText', () => {
  it('reads the bilingual error body and Retry-After', () => {
    const e = errorText(429, { code: 'rate_limited', message: '太频繁', messages: { 'zh-CN': '太频繁', en: 'Too many' } }, 'en', '42')
    expect(e).toMatchObject({ status: 429, code: 'rate_limited', text: 'Too many', retryAfter: 42 })
  })
  it('copes with an empty body', () => {
    expect(errorText(500, null, 'zh-CN')).toMatchObject({ code: 'http_500', text: '' })
  })
})
