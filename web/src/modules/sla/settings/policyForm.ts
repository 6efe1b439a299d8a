// The SLA policy form: targets in working minutes, edited as hours + minutes; keys are the
// server's field names so its 422 details land on the same fields.
import type { Schemas } from '@/api/client'
import type { Translate } from '@/apps/desk/formErrors'

export const MAX_MINUTES = 60 * 24 * 90

export interface PolicyDraft {
  name: string
  response: number | null
  resolution: number | null
  confirmationOn: boolean
  confirmation: number | null
  calendarId: number | null
  isDefault: boolean
}

export function emptyPolicy(): PolicyDraft {
  return {
    name: '', response: 240, resolution: 1440, confirmationOn: false, confirmation: null,
    calendarId: null, isDefault: false,
  }
}

export function draftFromPolicy(p: Schemas['PolicyOut']): PolicyDraft {
  return {
    name: p.name, response: p.response_minutes, resolution: p.resolution_minutes,
    confirmationOn: p.confirmation_minutes != null, confirmation: p.confirmation_minutes ?? null,
    calendarId: p.calendar_id ?? null, isDefault: p.is_default ?? false,
  }
}

/** 150 → {hours: 2, minutes: 30}; null stays empty. */
export function splitMinutes(total: number | null | undefined): { hours: number | null; minutes: number | null } {
  if (total == null || !Number.isFinite(total)) return { hours: null, minutes: null }
  return { hours: Math.floor(total / 60), minutes: total % 60 }
}

/** Hours and minutes back to minutes; null when both are empty. */
export function joinMinutes(hours: number | null | undefined, minutes: number | null | undefined): number | null {
  if (hours == null && minutes == null) return null
  return Math.round((hours ?? 0) * 60 + (minutes ?? 0))
}

function checkTarget(v: number | null, t: Translate): string {
  if (v == null) return t('form.required')
  if (v < 1) return t('slaAdmin.err.targetMin')
  if (v > MAX_MINUTES) return t('slaAdmin.err.targetMax', { days: MAX_MINUTES / 1440 })
  return ''
}

export function validatePolicy(d: PolicyDraft, t: Translate): Record<string, string> {
  const e: Record<string, string> = {}
  if (!d.name.trim()) e.name = t('form.required')
  else if (d.name.trim().length > 64) e.name = t('form.tooLong', { max: 64 })
  const targets: [string, number | null, boolean][] = [
    ['response_minutes', d.response, true], ['resolution_minutes', d.resolution, true],
    ['confirmation_minutes', d.confirmation, d.confirmationOn],
  ]
  for (const [key, value, on] of targets) {
    const problem = on ? checkTarget(value, t) : ''
    if (problem) e[key] = problem
  }
  if (!e.response_minutes && !e.resolution_minutes && d.resolution! < d.response!) {
    e.resolution_minutes = t('slaAdmin.err.resolutionBeforeResponse')
  }
  return e
}

export function toPolicyIn(d: PolicyDraft): Schemas['PolicyIn'] {
  return {
    name: d.name.trim(), response_minutes: d.response ?? 0, resolution_minutes: d.resolution ?? 0,
    confirmation_minutes: d.confirmationOn ? d.confirmation : null,
    calendar_id: d.calendarId, is_default: d.isDefault,
  }
}
