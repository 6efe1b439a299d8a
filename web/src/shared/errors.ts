// Turn an API error body {code, message, messages:{zh-CN,en}, details?} into text for the user.
import { pick, type LocalizedText } from './locale'

export interface ApiErrorBody {
  code: string
  message: string
  messages?: LocalizedText
  details?: unknown
}

/** One entry of a 422's `details`: {field, code, "zh-CN": "field:msg", en: "field: msg"}. */
export interface FieldDetail {
  field: string
  code?: string
  'zh-CN'?: string
  en?: string
}

export function isApiError(v: unknown): v is ApiErrorBody {
  return typeof v === 'object' && v !== null && typeof (v as ApiErrorBody).code === 'string'
    && typeof (v as ApiErrorBody).message === 'string'
}

/** Thrown by helpers that unwrap an openapi-fetch result, so pages can catch one thing. */
export class ApiError extends Error {
  constructor(public status: number, public body: ApiErrorBody | null, message?: string) {
    super(message ?? body?.message ?? `HTTP ${status}`)
  }
}

/** The message in the user's language; network and unknown errors get a generic text. */
export function errorText(err: unknown, locale: string): string {
  const body = err instanceof ApiError ? err.body : err
  if (isApiError(body)) return pick(body.messages, locale, body.message)
  if (err instanceof ApiError) return `HTTP ${err.status}`
  if (err instanceof Error && err.message) {
    return locale === 'en' ? `Network error: ${err.message}` : `网络错误:${err.message}`
  }
  return locale === 'en' ? 'Request failed' : '请求失败'
}

function stripField(text: string, field: string): string {
  for (const sep of [':', ':', ': ']) {
    if (text.startsWith(field + sep)) return text.slice(field.length + sep.length).trim()
  }
  return text
}

/** Field errors of a 422, keyed by dotted field path ("contacts.0.phone"), prefix removed. */
export function fieldErrors(err: unknown, locale: string): Record<string, string> {
  const body = err instanceof ApiError ? err.body : err
  const out: Record<string, string> = {}
  if (!isApiError(body) || !Array.isArray(body.details)) return out
  for (const d of body.details as FieldDetail[]) {
    if (!d || typeof d.field !== 'string') continue
    const text = d[locale as 'zh-CN' | 'en'] ?? d['zh-CN'] ?? d.en ?? ''
    if (!(d.field in out)) out[d.field] = stripField(text, d.field)
  }
  return out
}

/** The reasons a 409 lists in `details` (guards that failed), in the user's language. */
export function reasonTexts(err: unknown, locale: string): string[] {
  const body = err instanceof ApiError ? err.body : err
  if (!isApiError(body) || !Array.isArray(body.details)) return []
  return (body.details as LocalizedText[])
    .map((d) => (typeof d === 'object' && d ? pick(d, locale) : ''))
    .filter((t) => t !== '')
}

/** Unwrap an openapi-fetch result: return `data` or throw an ApiError. */
export function unwrap<T>(res: { data?: T; error?: unknown; response: Response }): T {
  if (res.error !== undefined || !res.response.ok) {
    throw new ApiError(res.response.status, isApiError(res.error) ? res.error : null)
  }
  return res.data as T
}
