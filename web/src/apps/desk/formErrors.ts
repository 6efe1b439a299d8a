// Where a server error belongs in a desk form: the message for the alert above the form, and
// per-field texts for the fields it names: a 422's `details` by field path, a domain error's
// code through a code → field table, and `details: [{field, message}]` lists under a prefix.
import { ApiError, errorText, fieldErrors, isApiError } from '@/shared/errors'

/** vue-i18n's t, as the pure form helpers take it (tests pass a stub). */
export type Translate = (key: string, named?: Record<string, unknown>) => string

export interface FormErrors {
  /** the whole message, for the alert next to the form ('' when there is no error) */
  general: string
  /** texts keyed by the form's field paths */
  fields: Record<string, string>
}

export interface FormErrorOptions {
  /** domain error code → the field it is about, e.g. {name_taken: 'name'} */
  codes?: Record<string, string>
  /** a field path prefix to drop (a list body's index, say) or to map: {'body.': ''} */
  rename?: (field: string) => string
  /** for codes whose `details` list {field, message}: the prefix their fields go under */
  detailPrefix?: Record<string, string>
}

interface PlainDetail {
  field?: unknown
  message?: unknown
}

export const NO_ERRORS: FormErrors = Object.freeze({ general: '', fields: Object.freeze({}) }) as FormErrors

export function formErrors(err: unknown, locale: string, opts: FormErrorOptions = {}): FormErrors {
  if (err == null) return NO_ERRORS
  const body = err instanceof ApiError ? err.body : err
  const rename = opts.rename ?? ((f: string) => f)
  const fields: Record<string, string> = {}
  const general = errorText(err, locale)
  for (const [f, text] of Object.entries(fieldErrors(err, locale))) {
    if (text) fields[rename(f)] = text
  }
  if (isApiError(body)) {
    const target = opts.codes?.[body.code]
    if (target !== undefined && !(target in fields)) fields[target] = general
    const prefix = opts.detailPrefix?.[body.code]
    if (prefix !== undefined && Array.isArray(body.details)) {
      for (const d of body.details as PlainDetail[]) {
        if (!d || typeof d.field !== 'string' || typeof d.message !== 'string') continue
        const key = rename(prefix ? `${prefix}.${d.field}` : d.field)
        if (!(key in fields)) fields[key] = d.message
      }
    }
  }
  return { general, fields }
}
