// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { bracesBroken, byEvent, insertAt, offeredPlaceholders, placeholders, unknownPlaceholders, validateTemplate, type Template } from './templates'
import { canRetry, subjectOf, targetText, type OutboxRow } from './outbox'

const t = (key: string) => key

function tpl(p: Partial<Template> = {}): Template {
  return {
    event: 'sla.breach', locale: 'zh-CN', subject: '【超时·{level}级升级】{number} {title}', body: '工单 {number}',
    overridden: false, default_subject: '【超时·{level}级升级】{number} {title}',
    default_body: '工单 {number}「{title}」已超过{kind_label}时限(应于 {due_at} 前)。负责人:{assignee}', ...p,
  }
}

describe('template placeholders', () => {
  it('finds {names} in order, once, and skips escaped braces and odd fields', () => {
    expect(placeholders('{number} {title} {number} {{literal}} {0} {a.b} {due_at:%H}')).toEqual(['number', 'title', 'due_at'])
    expect(placeholders(null)).toEqual([])
  })

  it('offers what the default wording uses, and the event name', () => {
    expect(offeredPlaceholders(tpl(), tpl({ locale: 'en' }))).toEqual(
      ['level', 'number', 'title', 'kind_label', 'due_at', 'assignee', 'event'])
  })

  it('names placeholders the event does not offer', () => {
    expect(unknownPlaceholders('{number} {customer_name}', ['number'])).toEqual(['customer_name'])
  })

  it('notices braces that do not pair up', () => {
    expect(bracesBroken('{number} {{ok}}')).toBe(false)
    expect(bracesBroken('{number')).toBe(true)
    expect(bracesBroken('number}')).toBe(true)
    expect(bracesBroken('{a{b}}')).toBe(true)
  })

  it('validates a draft', () => {
    expect(validateTemplate({ subject: ' ', body: 'x'.repeat(4001) }, t)).toEqual({ subject: 'form.required', body: 'form.tooLong' })
    expect(validateTemplate({ subject: '{number', body: 'ok' }, t)).toEqual({ subject: 'notifyAdmin.err.braces' })
  })

  it('groups the list per event and puts a placeholder in at the caret', () => {
    const g = byEvent([tpl(), tpl({ locale: 'en', overridden: true }), tpl({ event: 'order.assigned' })])
    expect(g.map((x) => [x.event, Object.keys(x.locales), x.overridden])).toEqual([
      ['sla.breach', ['zh-CN', 'en'], true], ['order.assigned', ['zh-CN'], false]])
    expect(insertAt('工单 。', 3, '{number}')).toEqual({ text: '工单 {number}。', caret: 11 })
    expect(insertAt('ab', null, '{x}')).toEqual({ text: 'ab{x}', caret: 5 })
  })
})

describe('outbox rows', () => {
  const row = (p: Partial<OutboxRow>): OutboxRow => ({
    id: 1, event: 'order.assigned', channel: 'webhook', target: '3', recipient: null, payload: { subject: '【新派工】' },
    dedupe_key: null, status: 'dead', attempts: 8, next_attempt_at: '', lease_until: null, last_error: 'HTTP 500',
    created_at: '', sent_at: null, ...p,
  })
  it('names the channel, the person or the fan-out', () => {
    const names = new Map([[3, 'ERP']])
    expect(targetText(row({}), names)).toBe('ERP (#3)')
    expect(targetText(row({ channel: 'sms', recipient: '138****1234' }), names)).toBe('ERP (#3) → 138****1234')
    expect(targetText(row({ target: '9' }), names)).toBe('9')
    expect(targetText(row({ channel: 'inapp', target: '12' }), names, '用户')).toBe('用户 #12')
    expect(targetText(row({ channel: 'fanout', target: 'fanout' }), names)).toBe('—')
  })
  it('reads the subject and retries only dead rows', () => {
    expect(subjectOf(row({}))).toBe('【新派工】')
    expect(subjectOf(row({ payload: {} }))).toBe('')
    expect(canRetry(row({}))).toBe(true)
    expect(canRetry(row({ status: 'sent' }))).toBe(false)
  })
})
