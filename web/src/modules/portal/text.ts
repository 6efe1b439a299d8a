// Small text helpers shared by the phone pages: bilingual labels from the API and times.

export type Lang = 'zh-CN' | 'en'
export type Bilingual = Partial<Record<string, string>> | null | undefined

/** The label in the wanted language, falling back to Chinese, then to any value. */
export function pick(label: Bilingual, lang: string): string {
  if (!label) return ''
  return label[lang] ?? label['zh-CN'] ?? Object.values(label).find(Boolean) ?? ''
}

const pad = (n: number) => String(n).padStart(2, '0')

/** "2026-11-21 19:02" in the phone's own time zone; '' for nothing or garbage. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** "2026-12-31" for a date-only value, untouched by time zones. */
export const formatDate = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '')

export interface ApiError {
  status: number
  code: string
  text: string
  retryAfter?: number
  details?: unknown
}

/** Turn an error response (ErrorBody or FastAPI's 422) into one message in the wanted language. */
export function errorText(status: number, body: unknown, lang: string, retryAfter?: string | null): ApiError {
  const b = (body ?? {}) as { code?: string; message?: string; messages?: Bilingual; details?: unknown; detail?: unknown }
  const text = pick(b.messages, lang) || b.message || ''
  const wait = retryAfter ? Number.parseInt(retryAfter, 10) : undefined
  return { status, code: b.code ?? (status === 422 ? 'validation_error' : `http_${status}`), text,
    retryAfter: Number.isFinite(wait) ? wait : undefined, details: b.details ?? b.detail }
}
