// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { Schemas } from '@/api/client'
import {
  calendarErrorField, checkSpans, copyDay, draftFromCalendar, emptyCalendar, normTime, openDay,
  timeOptions, toCalendarIn, validateCalendar,
} from './calendarForm'

const t = (key: string, named?: Record<string, unknown>) => (named ? `${key} ${JSON.stringify(named)}` : key)
const day: [string, string][] = [['08:30', '12:00'], ['13:30', '18:00']]

function calendar(p: Partial<Schemas['CalendarOut']> = {}): Schemas['CalendarOut'] {
  return {
    id: 1, name: '5×8 标准工作时间', timezone: 'Asia/Shanghai', hours: { 0: day, 1: day, 2: day, 3: day, 4: day },
    workday_hours: null, public_holidays: true, always_open: false, is_default: true, ...p,
  }
}

describe('the week editor and the API shape', () => {
  it('reads a 5×8 week as five open days and writes it back unchanged', () => {
    const d = draftFromCalendar(calendar())
    expect(d.days.map((x) => x.open)).toEqual([true, true, true, true, true, false, false])
    expect(d.days[0].spans).toEqual([{ start: '08:30', end: '12:00' }, { start: '13:30', end: '18:00' }])
    expect(d.customWorkday).toBe(false)
    expect(toCalendarIn(d)).toEqual({
      name: '5×8 标准工作时间', timezone: 'Asia/Shanghai', hours: { 0: day, 1: day, 2: day, 3: day, 4: day },
      workday_hours: null, public_holidays: true, always_open: false, is_default: true,
    })
  })

  it('leaves closed days out, keeps their spans in the editor, and sends own make-up day hours', () => {
    const d = draftFromCalendar(calendar({ hours: { 0: day, 5: [['09:00', '12:00']] }, workday_hours: [['09:00', '17:00']] }))
    expect(d.days[5]).toEqual({ open: true, spans: [{ start: '09:00', end: '12:00' }] })
    d.days[5].open = false
    const out = toCalendarIn(d)
    expect(out.hours).toEqual({ 0: day })
    expect(out.workday_hours).toEqual([['09:00', '17:00']])
    d.customWorkday = false
    expect(toCalendarIn(d).workday_hours).toBeNull()
  })

  it('shows midnight at the end of a day as 24:00 and sends it as 00:00', () => {
    const d = draftFromCalendar(calendar({ hours: { 6: [['18:00', '00:00']] } }))
    expect(d.days[6].spans).toEqual([{ start: '18:00', end: '24:00' }])
    expect(toCalendarIn(d).hours).toEqual({ 6: [['18:00', '00:00']] })
    expect(validateCalendar(d, t)).toEqual({})
  })

  it('opens a day with the hours of another open day and copies a day to others', () => {
    const d = emptyCalendar()
    d.days[0].spans = [{ start: '09:00', end: '17:00' }]
    openDay(d, 5)
    expect(d.days[5]).toEqual({ open: true, spans: [{ start: '09:00', end: '17:00' }] })
    copyDay(d, 0, [1, 2, 3, 4])
    expect(d.days[3].spans).toEqual([{ start: '09:00', end: '17:00' }])
    d.days[3].spans[0].start = '10:00'
    expect(d.days[0].spans[0].start).toBe('09:00') // copies, not shared
  })
})

describe('checking the hours like the server', () => {
  it('accepts ordered spans and spans that touch', () => {
    expect(checkSpans([{ start: '08:00', end: '12:00' }, { start: '12:00', end: '18:00' }], t)).toBe('')
  })

  it('rejects reversed, overlapping, malformed and missing spans', () => {
    expect(checkSpans([{ start: '18:00', end: '08:00' }], t)).toMatch(/^slaAdmin.err.spanReversed/)
    expect(checkSpans([{ start: '08:00', end: '13:00' }, { start: '12:00', end: '18:00' }], t)).toBe('slaAdmin.err.spanOverlap')
    expect(checkSpans([{ start: '8:00', end: '12:00' }], t)).toMatch(/^slaAdmin.err.spanFormat/)
    expect(checkSpans([{ start: '', end: '12:00' }], t)).toMatch(/^slaAdmin.err.spanMissing/)
    expect(checkSpans([{ start: '24:00', end: '24:00' }], t)).toMatch(/^slaAdmin.err.spanFormat/)
  })

  it('keys errors by weekday and wants some working time unless open 24×7', () => {
    const d = emptyCalendar()
    d.name = ' '
    d.days[2].spans = [{ start: '13:00', end: '09:00' }]
    d.days[6] = { open: true, spans: [] }
    const e = validateCalendar(d, t)
    expect(Object.keys(e).sort()).toEqual(['hours.2', 'hours.6', 'name'])
    const closed = emptyCalendar()
    closed.name = 'x'
    closed.days.forEach((x) => { x.open = false })
    expect(validateCalendar(closed, t)).toEqual({ hours: 'slaAdmin.err.noHours' })
    closed.alwaysOpen = true
    expect(validateCalendar(closed, t)).toEqual({})
  })

  it('reads the field out of the server\'s calendar_invalid text', () => {
    expect(calendarErrorField('Working hours are not valid: weekday 2: intervals overlap')).toBe('hours.2')
    expect(calendarErrorField("Working hours are not valid: unknown time zone 'Mars/Base'")).toBe('timezone')
    expect(calendarErrorField('Working hours are not valid: workday_hours: interval 09:00–08:00 is empty or reversed')).toBe('workday_hours')
    expect(calendarErrorField('Working hours are not valid: no working hours on any day')).toBe('hours')
    expect(calendarErrorField('something else')).toBeNull()
  })
})

describe('typing times', () => {
  it('normalises what people type', () => {
    expect(normTime('8:30')).toBe('08:30')
    expect(normTime('0830')).toBe('08:30')
    expect(normTime('8')).toBe('08:00')
    expect(normTime('24:00')).toBeNull()
    expect(normTime('24:00', true)).toBe('24:00')
    expect(normTime('12:60')).toBeNull()
    expect(normTime('noon')).toBeNull()
  })

  it('offers half hours, ends running to 24:00', () => {
    expect(timeOptions(30).slice(0, 3)).toEqual(['00:00', '00:30', '01:00'])
    expect(timeOptions(30).at(-1)).toBe('23:30')
    expect(timeOptions(30, true)[0]).toBe('00:30')
    expect(timeOptions(30, true).at(-1)).toBe('24:00')
  })
})
