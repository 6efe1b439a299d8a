// Phone numbers the intake accepts: a mainland mobile (13812345678, optionally +86) or a
// landline with its area code (0755-88889999, optional extension). The server checks again.

const MOBILE = /^(?:\+?86)?1[3-9]\d{9}$/
const LANDLINE = /^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$/

/** Strip spaces and the separators people type; keep the area-code dash. */
export function normalizePhone(raw: string): string {
  return raw.trim().replace(/[\s()（）]/g, '').replace(/[—–－]/g, '-')
}

export type PhoneCheck = 'ok' | 'empty' | 'invalid'

/** Classify a typed phone number without saying anything about it to the user. */
export function checkPhone(raw: string | null | undefined): PhoneCheck {
  const v = normalizePhone(raw ?? '')
  if (!v) return 'empty'
  const compact = v.replace(/^(\+?86)-/, '$1')
  if (MOBILE.test(compact.replace(/-/g, ''))) return 'ok'
  if (LANDLINE.test(v)) return 'ok'
  return 'invalid'
}

export const isValidPhone = (raw: string | null | undefined) => checkPhone(raw) === 'ok'
