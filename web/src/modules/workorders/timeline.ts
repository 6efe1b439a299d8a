// One audit event as a readable step: "派单 → 张伟", "状态:新建 → 已派单", who, when, where.
import type { Schemas } from '@/api/client'
import { formatDateTime } from '@/shared/dates'

export type EventOut = Schemas['EventOut']

export interface DescribeCtx {
  /** app string by key (vue-i18n's t) */
  t: (key: string, params?: Record<string, unknown>) => string
  /** a field's label, or undefined to fall back on its name */
  fieldLabel: (field: string) => string | undefined
  enumLabel: (name: string, value: string) => string
  actionLabel: (action: string) => string
  userName: (userId: number) => string
  customerName: (id: number) => string
}

export type StepKind = 'create' | 'transition' | 'update' | 'confirmation' | 'flag' | 'attachment' | 'other'

export interface Step {
  seq: number
  at: string
  actor: string
  role: string
  kind: StepKind
  title: string
  lines: string[]
  reason: string | null
  ip: string | null
  gps: string | null
}

const ENUM_FIELDS: Record<string, string> = {
  state: 'state', hold_from_state: 'state', type: 'type', priority: 'priority',
}
const TIME_FIELDS = new Set(['accepted_at', 'started_at', 'resolved_at', 'closed_at'])
// implied by the step's title or pure bookkeeping
const QUIET_IN_TRANSITION = new Set(['action', 'accepted_at', 'started_at', 'resolved_at', 'closed_at',
  'hold_from_state', 'version'])

function short(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}…` : s
}

export function formatValue(field: string, v: unknown, ctx: DescribeCtx): string {
  if (v === null || v === undefined || v === '') return '—'
  if (field in ENUM_FIELDS && typeof v === 'string') return ctx.enumLabel(ENUM_FIELDS[field], v)
  if (field === 'assignee_id' && typeof v === 'number') return ctx.userName(v)
  if (field === 'customer_id' && typeof v === 'number') return ctx.customerName(v)
  if (TIME_FIELDS.has(field) && typeof v === 'string') return formatDateTime(v)
  if (Array.isArray(v)) return ctx.t('timeline.items', { n: v.length })
  if (typeof v === 'object') return short(JSON.stringify(v))
  return short(String(v))
}

function changeLines(changes: Record<string, unknown>, ctx: DescribeCtx, skip: Set<string>): string[] {
  const lines: string[] = []
  for (const [field, pair] of Object.entries(changes)) {
    if (skip.has(field) || !Array.isArray(pair) || pair.length !== 2) continue
    const [before, after] = pair as [unknown, unknown]
    const label = ctx.fieldLabel(field) ?? field
    if (field === 'photo_refs' && Array.isArray(after)) {
      const added = after.length - (Array.isArray(before) ? before.length : 0)
      lines.push(added > 0 ? ctx.t('timeline.photosAdded', { n: added }) : `${label}: ${ctx.t('timeline.items', { n: after.length })}`)
      continue
    }
    lines.push(before === null || before === undefined
      ? `${label}: ${formatValue(field, after, ctx)}`
      : `${label}: ${formatValue(field, before, ctx)} → ${formatValue(field, after, ctx)}`)
  }
  return lines
}

function after(changes: Record<string, unknown>, key: string): unknown {
  const pair = changes[key]
  return Array.isArray(pair) ? pair[1] : undefined
}

function gpsText(gps: EventOut['gps']): string | null {
  if (!gps || typeof gps.lat !== 'number' || typeof gps.lng !== 'number') return null
  const acc = typeof gps.accuracy === 'number' ? ` ±${Math.round(gps.accuracy)}m` : ''
  return `${gps.lat.toFixed(5)}, ${gps.lng.toFixed(5)}${acc}`
}

export function describeEvent(e: EventOut, ctx: DescribeCtx): Step {
  const [verb, sub = ''] = e.action.split(':', 2)
  const changes = e.changes ?? {}
  let kind: StepKind = 'other'
  let title = e.action
  let lines: string[] = []
  if (verb === 'create') {
    kind = 'create'
    title = ctx.t('timeline.create')
    const prio = after(changes, 'priority')
    if (typeof prio === 'string') lines = [`${ctx.fieldLabel('priority') ?? 'priority'}: ${ctx.enumLabel('priority', prio)}`]
  } else if (verb === 'transition') {
    kind = 'transition'
    title = ctx.actionLabel(sub)
    const assignee = after(changes, 'assignee_id')
    if (typeof assignee === 'number') title = `${title} → ${ctx.userName(assignee)}`
    lines = changeLines(changes, ctx, new Set([...QUIET_IN_TRANSITION, 'assignee_id']))
  } else if (verb === 'update') {
    kind = 'update'
    title = ctx.t('timeline.update')
    lines = changeLines(changes, ctx, new Set(['version']))
  } else if (verb === 'confirmation') {
    kind = 'confirmation'
    const c = after(changes, 'confirmation') as { signed_by?: string; note?: string } | undefined
    title = ctx.t(sub === 'qa' ? 'timeline.confirmQa' : 'timeline.confirmCustomer', { by: c?.signed_by ?? '' })
    if (c?.note) lines = [c.note]
  } else if (verb === 'flag') {
    kind = 'flag'
    const f = after(changes, 'suspected_fake_completion') as { reason?: string } | undefined
    title = ctx.t('timeline.flag', { why: ctx.t(`suspected.reason.${f?.reason ?? 'other'}`) })
  } else if (verb === 'attachment') {
    kind = 'attachment'
    const a = after(changes, 'attachment') as { kind?: string } | undefined
    title = ctx.t('timeline.attachment', { kind: ctx.t(`attachment.kind.${a?.kind ?? 'file'}`) })
  }
  return {
    seq: e.seq, at: e.occurred_at, actor: e.actor_name, role: e.actor_role, kind, title, lines,
    reason: e.reason, ip: e.ip, gps: gpsText(e.gps),
  }
}
