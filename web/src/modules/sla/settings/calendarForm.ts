// The business-calendar form: the week as seven days (open or not, with their time spans),
// turned into the API's {hours: {"0": [["08:30","12:00"], …]}} and back, and checked the way
// the server checks it (spans in order, not reversed, not overlapping). An end of 24:00 in the
// editor is the API's "00:00" (midnight at the day's end).
import type { Schemas } from '@/api/client'
import type { Translate } from '@/apps/desk/formErrors'

export interface Span {
  start: string
  end: string
}

export interface DayDraft {
  open: boolean
  spans: Span[]
}

export interface CalendarDraft {
  name: string
  timezone: string
  alwaysOpen: boolean
  publicHolidays: boolean
  isDefault: boolean
  /** 0 = Monday … 6 = Sunday */
  days: DayDraft[]
  /** make-up working days (调休) and working overrides on a closed weekday: own hours or not */
  customWorkday: boolean
  workdaySpans: Span[]
}

type Pairs = readonly (readonly string[])[] | null | undefined

export const MIDNIGHT = '24:00'
export const DEFAULT_TZ = 'Asia/Shanghai'
export const TIMEZONES = [
  'Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Urumqi', 'Asia/Singapore', 'Asia/Tokyo',
  'Asia/Bangkok', 'Asia/Kolkata', 'Asia/Dubai', 'Europe/Berlin', 'Europe/London', 'America/New_York',
  'America/Los_Angeles', 'UTC',
]

const defaultSpans = (): Span[] => [{ start: '08:30', end: '12:00' }, { start: '13:30', end: '18:00' }]

export function emptyCalendar(): CalendarDraft {
  return {
    name: '', timezone: DEFAULT_TZ, alwaysOpen: false, publicHolidays: true, isDefault: false,
    days: Array.from({ length: 7 }, (_, d) => ({ open: d < 5, spans: d < 5 ? defaultSpans() : [] })),
    customWorkday: false, workdaySpans: [],
  }
}

/** "8:30", "0830", "8" → "08:30", "08:30", "08:00"; null when it is not a time of day.
 *  With `end`, 24:00 (and the API's midnight 00:00 is left to the caller) is allowed. */
export function normTime(raw: string, end = false): string | null {
  const m = /^\s*(\d{1,2})(?::?(\d{2}))?\s*$/.exec(raw)
  if (!m) return null
  const h = Number(m[1])
  const min = Number(m[2] ?? '0')
  if (min > 59 || h > 24 || (h === 24 && (!end || min > 0))) return null
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`
}

/** Choices for a time select every `step` minutes; end times run to 24:00 instead of 00:00. */
export function timeOptions(step = 30, end = false): string[] {
  const out: string[] = []
  for (let m = end ? step : 0; m <= (end ? 1440 : 1440 - step); m += step) {
    out.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`)
  }
  return out
}

function spansFrom(pairs: Pairs): Span[] {
  return (pairs ?? []).map(([start, end]) => ({ start, end: end === '00:00' ? MIDNIGHT : end }))
}

function pairsOf(spans: Span[]): [string, string][] {
  return spans.map((s) => [s.start, s.end === MIDNIGHT ? '00:00' : s.end])
}

export function draftFromCalendar(c: Schemas['CalendarOut']): CalendarDraft {
  const hours = c.hours as Record<string, Pairs>
  return {
    name: c.name, timezone: c.timezone, alwaysOpen: c.always_open, publicHolidays: c.public_holidays,
    isDefault: c.is_default,
    days: Array.from({ length: 7 }, (_, d) => {
      const spans = spansFrom(hours[String(d)])
      return { open: spans.length > 0, spans }
    }),
    customWorkday: !!c.workday_hours?.length,
    workdaySpans: spansFrom(c.workday_hours),
  }
}

export function toCalendarIn(d: CalendarDraft): Schemas['CalendarIn'] {
  const hours: Record<string, [string, string][]> = {}
  d.days.forEach((day, i) => {
    if (day.open && day.spans.length) hours[String(i)] = pairsOf(day.spans)
  })
  return {
    name: d.name.trim(), timezone: d.timezone.trim(), hours,
    workday_hours: d.customWorkday && d.workdaySpans.length ? pairsOf(d.workdaySpans) : null,
    public_holidays: d.publicHolidays, always_open: d.alwaysOpen, is_default: d.isDefault,
  }
}

/** Open a day: it gets Monday's spans (or the first open day's, or 08:30–18:00 with lunch). */
export function openDay(d: CalendarDraft, i: number): void {
  const day = d.days[i]
  day.open = true
  if (!day.spans.length) {
    const like = d.days.find((x) => x.open && x.spans.length && x !== day)
    day.spans = like ? like.spans.map((s) => ({ ...s })) : defaultSpans()
  }
}

/** Copy one day's spans to other days (which open). */
export function copyDay(d: CalendarDraft, from: number, to: number[]): void {
  const src = d.days[from]
  for (const i of to) {
    if (i === from) continue
    d.days[i] = { open: src.open, spans: src.spans.map((s) => ({ ...s })) }
  }
}

/** The problem with a list of spans, or '' when they are fine. */
export function checkSpans(spans: Span[], t: Translate): string {
  for (const [i, s] of spans.entries()) {
    if (!s.start || !s.end) return t('slaAdmin.err.spanMissing', { n: i + 1 })
    if (normTime(s.start) !== s.start || s.start === MIDNIGHT || normTime(s.end, true) !== s.end) {
      return t('slaAdmin.err.spanFormat', { n: i + 1 })
    }
    if (s.end <= s.start) return t('slaAdmin.err.spanReversed', { n: i + 1, start: s.start, end: s.end })
  }
  const sorted = [...spans].sort((a, b) => a.start.localeCompare(b.start))
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) return t('slaAdmin.err.spanOverlap')
  }
  return ''
}

/** Field errors keyed like the server's: name, timezone, hours.<weekday>, workday_hours, hours. */
export function validateCalendar(d: CalendarDraft, t: Translate): Record<string, string> {
  const e: Record<string, string> = {}
  if (!d.name.trim()) e.name = t('form.required')
  else if (d.name.trim().length > 64) e.name = t('form.tooLong', { max: 64 })
  if (!d.timezone.trim()) e.timezone = t('form.required')
  d.days.forEach((day, i) => {
    if (!day.open) return
    const problem = day.spans.length ? checkSpans(day.spans, t) : t('slaAdmin.err.noSpans')
    if (problem) e[`hours.${i}`] = problem
  })
  if (d.customWorkday) {
    const problem = d.workdaySpans.length ? checkSpans(d.workdaySpans, t) : t('slaAdmin.err.noSpans')
    if (problem) e.workday_hours = problem
  }
  const anyHours = d.days.some((x) => x.open && x.spans.length) || (d.customWorkday && d.workdaySpans.length > 0)
  if (!d.alwaysOpen && !anyHours) e.hours = t('slaAdmin.err.noHours')
  return e
}

/** The field a calendar_invalid answer is about, read from its English text
 *  ("Working hours are not valid: weekday 2: intervals overlap"). */
export function calendarErrorField(en: string | undefined): string | null {
  if (!en) return null
  const day = /weekday (\d)/.exec(en)
  if (day) return `hours.${day[1]}`
  if (en.includes('workday_hours')) return 'workday_hours'
  if (en.includes('time zone')) return 'timezone'
  if (en.includes('no working hours')) return 'hours'
  return null
}
