// My notification preferences: which channels I take per event ("*" = every event), quiet
// hours and the language of my messages. The form says "receive"; the API stores what is muted.
import type { Schemas } from '@/api/client'
import type { Translate } from '@/apps/desk/formErrors'
import { EVERY_EVENT } from '../events'

export type ChannelKind = Schemas['ChannelKind']
export type Prefs = Schemas['PreferencesOut']

/** Channels that reach one person (robots and webhooks post to groups and systems). */
export const PERSONAL_CHANNELS: readonly ChannelKind[] = ['inapp', 'email', 'sms']
export { EVERY_EVENT }

export interface PrefsDraft {
  muted: Record<string, ChannelKind[]>
  quietOn: boolean
  quietStart: string
  quietEnd: string
  locale: 'zh-CN' | 'en'
}

/** "22:00:00" → "22:00". */
export function shortTime(v: string | null | undefined): string {
  return v ? v.slice(0, 5) : ''
}

export function draftFromPrefs(p: Prefs): PrefsDraft {
  const muted: Record<string, ChannelKind[]> = {}
  for (const [event, channels] of Object.entries(p.muted ?? {})) muted[event] = [...channels]
  return {
    muted, quietOn: !!(p.quiet_start && p.quiet_end), quietStart: shortTime(p.quiet_start) || '22:00',
    quietEnd: shortTime(p.quiet_end) || '08:00', locale: p.locale ?? 'zh-CN',
  }
}

/** Rows of the matrix: every event first, then the known events (from /api/v1/meta) and any
 * others muted before. */
export function eventRows(d: PrefsDraft, known: readonly string[]): string[] {
  const extra = Object.keys(d.muted).filter((e) => e !== EVERY_EVENT && !known.includes(e))
  return [EVERY_EVENT, ...known, ...extra.sort()]
}

export function isMuted(d: PrefsDraft, event: string, channel: ChannelKind): boolean {
  return (d.muted[event] ?? []).includes(channel)
}

/** Muted for every event: the per-event switch has no say. */
export function mutedEverywhere(d: PrefsDraft, channel: ChannelKind): boolean {
  return isMuted(d, EVERY_EVENT, channel)
}

export function setReceive(d: PrefsDraft, event: string, channel: ChannelKind, receive: boolean): void {
  const now = new Set(d.muted[event] ?? [])
  if (receive) now.delete(channel)
  else now.add(channel)
  if (now.size) d.muted[event] = [...now].sort()
  else delete d.muted[event]
}

export function validatePrefs(d: PrefsDraft, t: Translate): Record<string, string> {
  const e: Record<string, string> = {}
  if (!d.quietOn) return e
  if (!d.quietStart) e.quiet_start = t('form.required')
  if (!d.quietEnd) e.quiet_end = t('form.required')
  if (d.quietStart && d.quietStart === d.quietEnd) e.quiet_end = t('prefs.err.sameTimes')
  return e
}

export function toPrefsIn(d: PrefsDraft): Schemas['PreferencesIn'] {
  const muted: Record<string, ChannelKind[]> = {}
  for (const [event, channels] of Object.entries(d.muted)) if (channels.length) muted[event] = [...channels].sort()
  return {
    muted, locale: d.locale,
    quiet_start: d.quietOn ? d.quietStart : null, quiet_end: d.quietOn ? d.quietEnd : null,
  }
}

/** Whether quiet hours run past midnight (22:00 → 08:00 ends the next day). */
export function overnight(d: PrefsDraft): boolean {
  return d.quietOn && !!d.quietStart && !!d.quietEnd && d.quietEnd < d.quietStart
}
