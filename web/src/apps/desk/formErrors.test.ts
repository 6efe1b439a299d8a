// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { ApiError } from '@/shared/errors'
import { formErrors } from './formErrors'

const domain = (code: string, zh: string, en: string, details?: unknown) =>
  new ApiError(400, { code, message: zh, messages: { 'zh-CN': zh, en }, details })

describe('server errors in a desk form', () => {
  it('puts a 422 on its fields and keeps the message for the alert', () => {
    const e = new ApiError(422, {
      code: 'validation_error', message: 'name:必填', messages: { 'zh-CN': 'name:必填', en: 'name: Field required' },
      details: [{ field: 'name', code: 'missing', 'zh-CN': 'name:必填', en: 'name: Field required' },
        { field: '2.tier', code: 'enum', 'zh-CN': '2.tier:不是允许的取值', en: '2.tier: bad' }],
    })
    expect(formErrors(e, 'zh-CN')).toEqual({ general: 'name:必填', fields: { name: '必填', '2.tier': '不是允许的取值' } })
    expect(formErrors(e, 'en').fields.name).toBe('Field required')
  })

  it('puts a domain error on the field its code is about, in the reader\'s language', () => {
    const e = domain('name_taken', '名称「A」已被使用', "The name 'A' is already taken")
    expect(formErrors(e, 'en', { codes: { name_taken: 'name' } })).toEqual({
      general: "The name 'A' is already taken", fields: { name: "The name 'A' is already taken" },
    })
    expect(formErrors(e, 'zh-CN').fields).toEqual({})
  })

  it('maps {field, message} details under a prefix and renames fields', () => {
    const e = domain('channel_settings_invalid', '设置无效', 'Invalid settings',
      [{ field: 'host', message: 'Field required' }, { field: 'sender', message: 'String should match' }])
    const out = formErrors(e, 'zh-CN', { detailPrefix: { channel_settings_invalid: 'settings' } })
    expect(out.fields).toEqual({ 'settings.host': 'Field required', 'settings.sender': 'String should match' })
    expect(out.general).toBe('设置无效')
  })

  it('has nothing to say without an error, and a generic text for a network failure', () => {
    expect(formErrors(null, 'zh-CN')).toEqual({ general: '', fields: {} })
    expect(formErrors(new TypeError('Failed to fetch'), 'en').general).toBe('Network error: Failed to fetch')
  })
})
