// Unwrapping openapi-fetch results into data or a thrown HttpError, and one message for the user.
import { errorText, type ApiError } from './text'

/** A failed call: status (0 = network), the raw body and Retry-After. */
export class HttpError extends Error {
  constructor(public status: number, public body: unknown, public retryAfter: string | null) {
    super(`http ${status}`)
  }
  info(lang: string): ApiError {
    return errorText(this.status, this.body, lang, this.retryAfter)
  }
  get code(): string {
    return (this.body as { code?: string } | null)?.code ?? `http_${this.status}`
  }
}

interface Result<T> {
  data?: T
  error?: unknown
  response: Response
}

export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let r: Result<T>
  try {
    r = await call
  } catch {
    throw new HttpError(0, null, null) // offline or the server is unreachable
  }
  if (!r.response.ok) {
    throw new HttpError(r.response.status, r.error ?? null, r.response.headers.get('Retry-After'))
  }
  return r.data as T
}

type T = (key: string, named?: Record<string, unknown>) => string

/** What to tell the user about an error: the server's own words when it gave some. */
export function errorMessage(e: unknown, t: T, lang: string): string {
  if (!(e instanceof HttpError) || e.status === 0) return t('network')
  const info = e.info(lang)
  if (e.status === 429) return t('tooFast', { s: info.retryAfter ?? 60 })
  if (info.text) return info.text
  const first = Array.isArray(info.details) ? (info.details[0] as { msg?: string } | undefined) : undefined
  return first?.msg ?? t('network')
}
