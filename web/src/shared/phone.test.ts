// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { checkPhone } from './phone'

describe('checkPhone', () => {
  it.each(['13812345678', '138 1234 5678', '+86 13812345678', '0755-88889999', '010-12345678',
    '075588889999', '01012345678', '0755-88889999-123', '(0755)88889999'])('accepts %s', (p) => {
    expect(checkPhone(p)).toBeNull()
  })

  it.each([
    ['', 'phone_required'],
    ['abc', 'phone_chars'],
    ['12812345678', 'phone_mobile_prefix'],
    ['1381234567', 'phone_mobile_length'],
    ['88889999', 'phone_area_code'],
    ['8888999', 'phone_area_code'],
    ['0755-123', 'phone_format'],
  ])('rejects %s with %s', (p, code) => {
    expect(checkPhone(p)?.code).toBe(code)
  })

  it('shows an example in both languages', () => {
    const p = checkPhone('88889999')
    expect(p?.message['zh-CN']).toBe('客户电话需含区号,示例:0755-88889999')
    expect(p?.message.en).toBe('Phone needs an area code, e.g. 0755-88889999')
    expect(checkPhone('1381234')?.message['zh-CN']).toContain('当前7位')
  })
})
