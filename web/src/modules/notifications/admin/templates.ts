// Notification template wording: the {placeholders} an event offers (those its default text
// uses, plus the event's name), what an edited text uses that the event does not offer
// (shown as typed in the message), and braces that do not pair up.
import type { Schemas } from '@/api/client'
import type { Translate } from '@/apps/desk/formErrors'

export type Template = Schemas['TemplateOut']

export interface EventTemplates {
  event: string
  /** by locale: zh-CN, en */
  locales: Record<string, Template>
  overridden: boolean
}

const FIELD = /\{([^{}]*)\}/g

/** The {name}s in a text, in order of first use; "{{" and "}}" are literal braces. */
export function placeholders(text: string | null | undefined): string[] {
  const out: string[] = []
  const plain = (text ?? '').replace(/\{\{|\}\}/g, '')
  for (const m of plain.matchAll(FIELD)) {
    const name = m[1].split(/[!:]/)[0].trim()
    if (/^[A-Za-z_]\w*$/.test(name) && !out.includes(name)) out.push(name)
  }
  return out
}

/** What the event's data offers: the placeholders of its default wording (both languages
 *  agree) and `event`. */
export function offeredPlaceholders(...templates: (Template | undefined)[]): string[] {
  const out: string[] = []
  for (const t of templates) {
    for (const name of [...placeholders(t?.default_subject), ...placeholders(t?.default_body)]) {
      if (!out.includes(name)) out.push(name)
    }
  }
  if (!out.includes('event')) out.push('event')
  return out
}

export function unknownPlaceholders(text: string, offered: string[]): string[] {
  return placeholders(text).filter((p) => !offered.includes(p))
}

/** True when a single { or } has no partner (the text would then be sent as written). */
export function bracesBroken(text: string): boolean {
  let depth = 0
  const plain = text.replace(/\{\{|\}\}/g, '')
  for (const ch of plain) {
    if (ch === '{') {
      if (depth) return true
      depth = 1
    } else if (ch === '}') {
      if (!depth) return true
      depth = 0
    }
  }
  return depth !== 0
}

export interface TemplateDraft {
  subject: string
  body: string
}

export function validateTemplate(d: TemplateDraft, t: Translate): Record<string, string> {
  const e: Record<string, string> = {}
  if (!d.subject.trim()) e.subject = t('form.required')
  else if (d.subject.length > 200) e.subject = t('form.tooLong', { max: 200 })
  if (!d.body.trim()) e.body = t('form.required')
  else if (d.body.length > 4000) e.body = t('form.tooLong', { max: 4000 })
  for (const k of ['subject', 'body'] as const) {
    if (!e[k] && bracesBroken(d[k])) e[k] = t('notifyAdmin.err.braces')
  }
  return e
}

/** Templates grouped per event (events in the order the server lists them). */
export function byEvent(list: Template[]): EventTemplates[] {
  const out = new Map<string, EventTemplates>()
  for (const t of list) {
    const g = out.get(t.event) ?? { event: t.event, locales: {}, overridden: false }
    g.locales[t.locale] = t
    g.overridden ||= t.overridden
    out.set(t.event, g)
  }
  return [...out.values()]
}

/** `text` with `token` put in at `at` (the caret), and where the caret goes after it. */
export function insertAt(text: string, at: number | null | undefined, token: string): { text: string; caret: number } {
  const pos = at == null || at < 0 || at > text.length ? text.length : at
  return { text: text.slice(0, pos) + token + text.slice(pos), caret: pos + token.length }
}
