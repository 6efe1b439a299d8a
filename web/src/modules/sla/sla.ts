// SLA display logic, free of any UI kit: which deadline to show, its colour, and the time left
// or overdue as plain words ("剩 3 小时 20 分" / "已超时 45 分" / "已暂停").
import type { Schemas } from '@/api/client'

export type Sla = Schemas['SlaOut']
export type SlaStatus = 'on_track' | 'at_risk' | 'breached' | 'paused' | 'met' | 'none'
export type DeadlineKind = 'response' | 'resolution' | 'confirmation'

/** One deadline of an order: when, the server's status, and when it was met (if it was). */
export interface Deadline {
  kind: DeadlineKind
  dueAt: string | null
  status: SlaStatus
  /** accepted_at for the response, resolved_at for the resolution, confirmed_at for the
   *  confirmation; null while open */
  metAt: string | null
  /** working time left on the order's calendar when the server answered (negative:
   *  overdue); nights, weekends and holidays do not count, so the browser cannot derive it */
  leftSeconds?: number | null
}

/** What an order row must carry for its deadlines (list rows and details both do). */
export interface WithSla {
  sla?: Sla | null
  accepted_at?: string | null
  resolved_at?: string | null
}

const STATUSES: readonly SlaStatus[] = ['on_track', 'at_risk', 'breached', 'paused', 'met', 'none']

/** Colour names of the shared palette (see shared/colors.ts). */
export const STATUS_COLORS: Record<SlaStatus, string> = {
  on_track: 'green',
  at_risk: 'orange',
  breached: 'red',
  paused: 'grey',
  met: 'blue',
  none: 'grey',
}

export function asStatus(v: string | null | undefined): SlaStatus {
  return STATUSES.includes(v as SlaStatus) ? (v as SlaStatus) : 'none'
}

function ms(iso: string | null | undefined): number | null {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isNaN(t) ? null : t
}

/** The deadlines of an order: response, resolution and, once resolved under a policy with a
 *  confirmation target, the confirmation (an order without a policy has none). */
export function deadlines(o: WithSla): Deadline[] {
  const s = o.sla
  if (!s || !s.policy) return []
  const out: Deadline[] = []
  if (s.response_due_at) {
    out.push({ kind: 'response', dueAt: s.response_due_at, status: asStatus(s.response_status),
      metAt: o.accepted_at ?? null, leftSeconds: s.response_left_seconds ?? null })
  }
  if (s.resolution_due_at) {
    out.push({ kind: 'resolution', dueAt: s.resolution_due_at, status: asStatus(s.resolution_status),
      metAt: o.resolved_at ?? null, leftSeconds: s.resolution_left_seconds ?? null })
  }
  if (s.confirmation_due_at) {  // only with a confirmation target, from the resolve on
    out.push({ kind: 'confirmation', dueAt: s.confirmation_due_at, status: asStatus(s.confirmation_status),
      metAt: s.confirmed_at ?? null,
      leftSeconds: s.confirmation_left_seconds ?? null })
  }
  return out
}

export function deadline(o: WithSla, kind: DeadlineKind): Deadline | null {
  return deadlines(o).find((d) => d.kind === kind) ?? null
}

const isOpen = (d: Deadline) => d.metAt === null && d.status !== 'met' && d.status !== 'none'

/** The deadline to show in a list: the earliest one still open; once none is open, the
 *  resolution (how it ended); null without an SLA. */
export function nearestDeadline(o: WithSla): Deadline | null {
  const all = deadlines(o)
  const open = all.filter(isOpen).sort((a, b) => (ms(a.dueAt) ?? Infinity) - (ms(b.dueAt) ?? Infinity))
  if (open.length) return open[0]
  return all.find((d) => d.kind === 'resolution') ?? all[0] ?? null
}

/** The status as of `now`: an open, running deadline that has passed since the server
 *  answered is breached, whatever the server said then. */
export function effectiveStatus(d: Deadline | null, now: number): SlaStatus {
  if (!d) return 'none'
  if (isOpen(d) && (d.status === 'on_track' || d.status === 'at_risk')) {
    const due = ms(d.dueAt)
    if (due !== null && now >= due) return 'breached'
  }
  return d.status
}

type Lang = 'zh' | 'en'
const lang = (locale: string): Lang => (locale === 'en' ? 'en' : 'zh')

/** A span to the minute: "3 小时 20 分", "2 天 4 小时", "45 分" / "3 h 20 min", "2 d 4 h". */
export function formatSpan(seconds: number, locale: string): string {
  const en = lang(locale) === 'en'
  const total = Math.floor(Math.abs(seconds) / 60)
  if (total < 1) return en ? '< 1 min' : '不到 1 分'
  const days = Math.floor(total / 1440)
  const hours = Math.floor((total % 1440) / 60)
  const mins = total % 60
  const u = en ? { d: 'd', h: 'h', m: 'min' } : { d: '天', h: '小时', m: '分' }
  const part = (n: number, unit: string) => `${n} ${unit}`
  if (days > 0) return hours ? `${part(days, u.d)} ${part(hours, u.h)}` : part(days, u.d)
  if (hours > 0) return mins ? `${part(hours, u.h)} ${part(mins, u.m)}` : part(hours, u.h)
  return part(mins, u.m)
}

/** Working minutes of a target as hours and minutes ("4 小时", "30 分", "72 h"). */
export function formatMinutes(minutes: number | null | undefined, locale: string): string {
  if (minutes == null || !Number.isFinite(minutes)) return ''
  const en = lang(locale) === 'en'
  const h = Math.floor(minutes / 60)
  const m = Math.round(minutes % 60)
  const hs = en ? `${h} h` : `${h} 小时`
  const mm = en ? `${m} min` : `${m} 分`
  if (h && m) return `${hs} ${mm}`
  return h ? hs : mm
}

/** The countdown's words for one deadline at `now` (ms since the epoch). */
export function countdownText(d: Deadline | null, now: number, locale: string): string {
  const en = lang(locale) === 'en'
  const due = ms(d?.dueAt)
  if (!d || due === null || d.status === 'none') return en ? 'No SLA' : '无时限'
  const met = ms(d.metAt)
  if (met !== null || d.status === 'met') {
    const late = met !== null ? (met - due) / 1000 : 0
    if (late < 60) return en ? 'Met' : '已达成'
    return en ? `Met ${formatSpan(late, locale)} late` : `超时 ${formatSpan(late, locale)} 达成`
  }
  if (d.status === 'paused') return en ? 'Paused' : '已暂停'
  // the server's working-time figure when there is one; else wall-clock time to the due time
  const left = d.leftSeconds ?? (due - now) / 1000
  // the server saw it breached but our clock is behind the server's: say so without a number
  if (left > 0 && d.status === 'breached') return en ? 'Overdue' : '已超时'
  if (left > 0) return en ? `${formatSpan(left, locale)} left` : `剩 ${formatSpan(left, locale)}`
  return en ? `${formatSpan(left, locale)} overdue` : `已超时 ${formatSpan(left, locale)}`
}

/** Seconds since an ISO time (how long an order has been on the board). */
export function secondsSince(iso: string | null | undefined, now: number): number {
  const t = ms(iso)
  return t === null ? 0 : Math.max(0, (now - t) / 1000)
}

const WEEKDAYS = {
  zh: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
}

export interface HoursLine {
  days: string
  spans: string
}

/** A calendar's week as lines of consecutive days with the same hours:
 *  [{days: '周一至周五', spans: '08:30–12:00, 13:30–18:00'}]; days without hours are left out. */
export function weekSummary(hours: Record<string, string[][]> | null | undefined,
  locale: string): HoursLine[] {
  const l = lang(locale)
  const names = WEEKDAYS[l]
  const key = (d: number) => (hours?.[String(d)] ?? []).map(([a, b]) => `${a}–${b}`).join(', ')
  const out: HoursLine[] = []
  let start = 0
  for (let d = 1; d <= 7; d++) {
    if (d < 7 && key(d) === key(start)) continue
    const spans = key(start)
    if (spans) {
      const last = d - 1
      const days = last === start ? names[start]
        : `${names[start]}${l === 'en' ? '–' : '至'}${names[last]}`
      out.push({ days, spans })
    }
    start = d
  }
  return out
}
