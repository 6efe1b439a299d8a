// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { checkPhone, isValidPhone, normalizePhone } from './phone'

describe('checkPhone', () => {
  it.each([
    '13812345678', '19912345678', '+8613812345678', '86 138 1234 5678', '138-1234-5678',
    '0755-88889999', '075588889999', '010-12345678', '0571-8888999', '0755-88889999-123',
    ' 0755 88889999 ', '（0755）88889999',
  ])('accepts %s', (v) => expect(checkPhone(v)).toBe('ok'))

  it.each([
    '12812345678', '1381234567', '138123456789', '88889999', '0755-888', 'abc',
    '0755-88889999-1234567', '+1 415 555 0100',
  ])('rejects %s', (v) => expect(checkPhone(v)).toBe('invalid'))

  it('says empty for nothing', () => {
    expect(checkPhone('')).toBe('empty')
    expect(checkPhone('   ')).toBe('empty')
    expect(checkPhone(undefined)).toBe('empty')
    expect(isValidPhone(null)).toBe(false)
  })

  it('normalizes separators', () => {
    expect(normalizePhone(' 0755—8888 9999 ')).toBe('0755-88889999')
  })
})
