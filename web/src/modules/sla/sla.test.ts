// @vitest-environment node
import { describe, expect, it } from 'vitest'
import {
  STATUS_COLORS, countdownText, deadlines, effectiveStatus, formatMinutes, formatSpan,
  nearestDeadline, secondsSince, weekSummary, type Sla, type WithSla,
} from './sla'

const NOW = Date.parse('2026-11-20T10:00:00Z')
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString()

function sla(p: Partial<Sla> = {}): Sla {
  return {
    policy: { id: 3, name: '标准' }, response_due_at: at(30), resolution_due_at: at(600),
    response_status: 'on_track', resolution_status: 'on_track', confirmation_status: 'none', paused: false,
    paused_seconds: 0,
    escalation_level: 0, on_board: false, customer_seconds: null, ...p,
  }
}

describe('choosing the deadline to show', () => {
  it('takes the earliest open deadline', () => {
    const o: WithSla = { sla: sla(), accepted_at: null, resolved_at: null }
    expect(nearestDeadline(o)?.kind).toBe('response')
  })

  it('skips a met response and shows the resolution', () => {
    const o: WithSla = { sla: sla({ response_status: 'met' }), accepted_at: at(-5), resolved_at: null }
    expect(nearestDeadline(o)?.kind).toBe('resolution')
  })

  it('counts a response accepted late as done, not open', () => {
    const o: WithSla = { sla: sla({ response_due_at: at(-60), response_status: 'breached' }),
      accepted_at: at(-10), resolved_at: null }
    expect(nearestDeadline(o)?.kind).toBe('resolution')
  })

  it('shows the confirmation deadline while a resolved order waits for its confirmation', () => {
    const o: WithSla = {
      sla: sla({ response_status: 'met', resolution_status: 'met', confirmation_due_at: at(120),
        confirmation_status: 'on_track', confirmation_left_seconds: 7200 }),
      accepted_at: at(-100), resolved_at: at(-50),
    }
    const d = nearestDeadline(o)
    expect([d?.kind, d?.status, d?.metAt, d?.leftSeconds]).toEqual(['confirmation', 'on_track', null, 7200])
    const confirmed = { ...o, sla: { ...o.sla!, confirmation_status: 'met', confirmed_at: at(-10) } }
    expect(deadlines(confirmed).find((x) => x.kind === 'confirmation')?.metAt).toBe(at(-10))
    expect(nearestDeadline(confirmed)?.kind).toBe('resolution')
  })

  it('shows how the resolution ended once nothing is open', () => {
    const o: WithSla = { sla: sla({ response_status: 'met', resolution_status: 'met' }),
      accepted_at: at(-100), resolved_at: at(-50) }
    const d = nearestDeadline(o)
    expect(d?.kind).toBe('resolution')
    expect(d?.status).toBe('met')
  })

  it('has nothing without a policy', () => {
    expect(nearestDeadline({ sla: sla({ policy: null }) })).toBeNull()
    expect(nearestDeadline({ sla: null })).toBeNull()
    expect(deadlines({})).toEqual([])
  })
})

describe('status as time passes', () => {
  it('turns a passed on-track deadline red without waiting for the server', () => {
    const d = nearestDeadline({ sla: sla() })
    expect(effectiveStatus(d, NOW)).toBe('on_track')
    expect(effectiveStatus(d, NOW + 31 * 60_000)).toBe('breached')
  })

  it('leaves paused and met deadlines alone', () => {
    const paused = nearestDeadline({ sla: sla({ response_status: 'paused', resolution_status: 'paused', paused: true }) })
    expect(effectiveStatus(paused, NOW + 10 * 3600_000)).toBe('paused')
    expect(effectiveStatus(null, NOW)).toBe('none')
  })

  it('has a colour per status', () => {
    expect(STATUS_COLORS).toMatchObject({ on_track: 'green', at_risk: 'orange', breached: 'red', paused: 'grey', met: 'blue' })
  })
})

describe('durations in words', () => {
  it('says spans to the minute in both languages', () => {
    expect(formatSpan(3 * 3600 + 20 * 60 + 59, 'zh-CN')).toBe('3 小时 20 分')
    expect(formatSpan(3 * 3600 + 20 * 60, 'en')).toBe('3 h 20 min')
    expect(formatSpan(45 * 60, 'zh-CN')).toBe('45 分')
    expect(formatSpan(2 * 86400 + 4 * 3600 + 120, 'zh-CN')).toBe('2 天 4 小时')
    expect(formatSpan(86400, 'en')).toBe('1 d')
    expect(formatSpan(7200, 'zh-CN')).toBe('2 小时')
    expect(formatSpan(-45 * 60, 'en')).toBe('45 min')
    expect(formatSpan(30, 'zh-CN')).toBe('不到 1 分')
    expect(formatSpan(30, 'en')).toBe('< 1 min')
  })

  it('says what is left, what is overdue, and paused', () => {
    const o = { sla: sla({ response_due_at: at(200) }) }
    expect(countdownText(nearestDeadline(o), NOW, 'zh-CN')).toBe('剩 3 小时 20 分')
    expect(countdownText(nearestDeadline(o), NOW, 'en')).toBe('3 h 20 min left')
    const late = { sla: sla({ response_due_at: at(-45), response_status: 'breached' }) }
    expect(countdownText(nearestDeadline(late), NOW, 'zh-CN')).toBe('已超时 45 分')
    expect(countdownText(nearestDeadline(late), NOW, 'en')).toBe('45 min overdue')
    const paused = { sla: sla({ response_status: 'paused', resolution_status: 'paused', paused: true }) }
    expect(countdownText(nearestDeadline(paused), NOW, 'zh-CN')).toBe('已暂停')
    expect(countdownText(nearestDeadline(paused), NOW, 'en')).toBe('Paused')
  })

  it('says how a met deadline ended', () => {
    const ok = { sla: sla({ response_status: 'met', resolution_status: 'met' }), accepted_at: at(-100), resolved_at: at(500) }
    expect(countdownText(nearestDeadline(ok), NOW, 'zh-CN')).toBe('已达成')
    const lateFix = { sla: sla({ response_status: 'met', resolution_status: 'breached' }), accepted_at: at(0), resolved_at: at(690) }
    expect(countdownText(nearestDeadline(lateFix), NOW, 'zh-CN')).toBe('超时 1 小时 30 分 达成')
    expect(countdownText(nearestDeadline(lateFix), NOW, 'en')).toBe('Met 1 h 30 min late')
    expect(countdownText(null, NOW, 'zh-CN')).toBe('无时限')
  })

  it('believes the server about a breach when this computer\'s clock is behind', () => {
    const o = { sla: sla({ response_due_at: at(20), response_status: 'breached' }) }
    expect(countdownText(nearestDeadline(o), NOW, 'zh-CN')).toBe('已超时')
    expect(countdownText(nearestDeadline(o), NOW, 'en')).toBe('Overdue')
  })

  it('writes targets in working hours and minutes', () => {
    expect(formatMinutes(30, 'zh-CN')).toBe('30 分')
    expect(formatMinutes(120, 'zh-CN')).toBe('2 小时')
    expect(formatMinutes(4320, 'en')).toBe('72 h')
    expect(formatMinutes(270, 'en')).toBe('4 h 30 min')
    expect(formatMinutes(null, 'en')).toBe('')
  })

  it('measures time on the board', () => {
    expect(secondsSince(at(-90), NOW)).toBe(5400)
    expect(secondsSince(at(5), NOW)).toBe(0)
    expect(secondsSince(null, NOW)).toBe(0)
  })
})

describe('a calendar week in one line per run of days', () => {
  const day: [string, string][] = [['08:30', '12:00'], ['13:30', '18:00']]
  it('groups Monday to Friday', () => {
    const hours = { 0: day, 1: day, 2: day, 3: day, 4: day }
    expect(weekSummary(hours, 'zh-CN')).toEqual([{ days: '周一至周五', spans: '08:30–12:00, 13:30–18:00' }])
    expect(weekSummary(hours, 'en')).toEqual([{ days: 'Mon–Fri', spans: '08:30–12:00, 13:30–18:00' }])
  })

  it('keeps a different Saturday apart and leaves days off out', () => {
    const hours = { 0: day, 1: day, 2: day, 3: day, 4: day, 5: [['09:00', '12:00']] as [string, string][] }
    expect(weekSummary(hours, 'zh-CN')).toEqual([
      { days: '周一至周五', spans: '08:30–12:00, 13:30–18:00' }, { days: '周六', spans: '09:00–12:00' },
    ])
    expect(weekSummary({}, 'zh-CN')).toEqual([])
    expect(weekSummary({ 6: [['00:00', '23:59']] }, 'en')).toEqual([{ days: 'Sun', spans: '00:00–23:59' }])
  })
})

describe('working time left from the server', () => {
  it('counts working time, not the wall clock, when the server gives it', () => {
    const due = '2026-11-23T09:30:00Z' // Monday morning; now is Saturday
    const d = { kind: 'resolution' as const, dueAt: due, status: 'on_track' as const, metAt: null,
      leftSeconds: 2 * 3600 }
    const saturday = Date.parse('2026-11-21T10:00:00Z')
    expect(countdownText(d, saturday, 'zh-CN')).toBe('剩 2 小时')
    expect(countdownText({ ...d, leftSeconds: -45 * 60, status: 'breached' }, saturday, 'en'))
      .toBe('45 min overdue')
  })
})
