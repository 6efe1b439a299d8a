// The new-order form: what the agent typed, checked as they type, and the payload it becomes.
import type { Schemas } from '@/api/client'
import { checkPhone } from '@/shared/phone'
import { pick } from '@/shared/locale'

export interface Draft {
  type: Schemas['OrderType']
  priority: Schemas['Priority']
  title: string
  fault_type: string
  description: string
  customer_id?: number
  device_id?: number
  reporter_name: string
  reporter_phone: string
}

export function emptyDraft(): Draft {
  return {
    type: 'repair', priority: 'normal', title: '', fault_type: '', description: '',
    reporter_name: '', reporter_phone: '',
  }
}

export type DraftField = keyof Draft
type Texts = { required: string; tooLong: (max: number) => string }

const MAX: Partial<Record<DraftField, number>> = { title: 200, fault_type: 64, reporter_name: 64 }

/** Problems with the draft, by field, in the user's language (empty when it may be sent). */
export function validateDraft(d: Draft, locale: string, texts: Texts): Partial<Record<DraftField, string>> {
  const errors: Partial<Record<DraftField, string>> = {}
  if (!d.title.trim()) errors.title = texts.required
  for (const [field, max] of Object.entries(MAX) as [DraftField, number][]) {
    const v = d[field]
    if (typeof v === 'string' && v.trim().length > max) errors[field] = texts.tooLong(max)
  }
  if (d.reporter_phone.trim()) {
    const problem = checkPhone(d.reporter_phone)
    if (problem) errors.reporter_phone = pick(problem.message, locale)
  }
  return errors
}

export function toPayload(d: Draft): Schemas['WorkOrderCreate'] {
  const opt = (s: string) => (s.trim() ? s.trim() : null)
  return {
    type: d.type,
    priority: d.priority,
    title: d.title.trim(),
    fault_type: opt(d.fault_type),
    description: opt(d.description),
    customer_id: d.customer_id ?? null,
    device_id: d.device_id ?? null,
    reporter_name: opt(d.reporter_name),
    reporter_phone: opt(d.reporter_phone),
  }
}

/** A server field path ("reporter_phone", "body.title") as one of the form's fields. */
export function draftField(path: string): DraftField | null {
  const name = path.replace(/^body\./, '').split('.')[0]
  const fields: DraftField[] = ['type', 'priority', 'title', 'fault_type', 'description', 'customer_id',
    'device_id', 'reporter_name', 'reporter_phone']
  return (fields as string[]).includes(name) ? (name as DraftField) : null
}
