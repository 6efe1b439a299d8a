// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { HttpError, errorMessage, unwrap } from './http'

const t = (k: string, n?: Record<string, unknown>) => (n ? `${k}:${JSON.stringify(n)}` : k)
const res = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers })

describe('unwrap', () => {
  it('passes data through', async () => {
    expect(await unwrap(Promise.resolve({ data: { a: 1 }, response: res(200) }))).toEqual({ a: 1 })
  })
  it('throws HttpError with the body and Retry-After', async () => {
    const err = (await unwrap(Promise.resolve({ error: { code: 'rate_limited' }, response: res(429, { 'Retry-After': '30' }) }))
      .catch((e: HttpError) => e)) as HttpError
    expect(err).toBeInstanceOf(HttpError)
    expect(err.code).toBe('rate_limited')
    expect(err.retryAfter).toBe('30')
  })
  it('turns a network failure into status 0', async () => {
    const err = (await unwrap(Promise.reject(new TypeError('Failed to fetch'))).catch((e: HttpError) => e)) as HttpError
    expect(err.status).toBe(0)
  })
})

describe('errorMessage', () => {
  it('uses the server text in the wanted language', () => {
    const e = new HttpError(409, { code: 'x', message: '冲突', messages: { 'zh-CN': '冲突', en: 'Conflict' } }, null)
    expect(errorMessage(e, t, 'en')).toBe('Conflict')
  })
  it('says how long to wait on 429', () => {
    expect(errorMessage(new HttpError(429, {}, '12'), t, 'zh-CN')).toBe('tooFast:{"s":12}')
  })
  it('falls back to FastAPI validation details, then to the network message', () => {
    expect(errorMessage(new HttpError(422, { detail: [{ msg: 'field required' }] }, null), t, 'en')).toBe('field required')
    expect(errorMessage(new HttpError(0, null, null), t, 'en')).toBe('network')
    expect(errorMessage(new Error('x'), t, 'en')).toBe('network')
  })
})
