// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { draftFromCustomer, emptyCustomer, toCreate, toUpdate, validateCustomer } from './customerForm'

describe('customer form', () => {
  it('checks required fields and every contact phone, keyed like the server', () => {
    const d = { ...emptyCustomer(), contacts: [{ name: '', phone: '88889999', title: '', is_primary: true }] }
    expect(validateCustomer(d, 'zh-CN', '必填', true)).toEqual({
      code: '必填', name: '必填', province: '必填', city: '必填', 'contacts.0.name': '必填',
      'contacts.0.phone': '客户电话需含区号,示例:0755-88889999',
    })
    expect(validateCustomer(d, 'zh-CN', '必填', false).code).toBeUndefined()
  })

  it('round-trips a customer and leaves out an empty service level on update', () => {
    const d = draftFromCustomer({
      id: 1, code: 'C001', name: '华锐', tier: 'key', service_level: '4小时响应', province: '广东', city: '深圳',
      address: null, contract_expires_on: '2027-01-31', created_at: '', updated_at: '',
      contacts: [{ id: 3, name: '王工', phone: '13812345678', title: null, is_primary: true }],
    })
    expect(toCreate(d)).toMatchObject({ code: 'C001', address: null, contacts: [{ name: '王工', title: null, is_primary: true }] })
    d.service_level = ''
    const u = toUpdate(d)
    expect('code' in u).toBe(false)
    expect('service_level' in u).toBe(false)
  })
})
