// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { ApiError, errorText, fieldErrors, reasonTexts, unwrap } from './errors'

const validation = {
  code: 'validation_error',
  message: 'contacts.0.phone:客户电话需含区号,示例:0755-88889999',
  messages: {
    'zh-CN': 'contacts.0.phone:客户电话需含区号,示例:0755-88889999',
    en: 'contacts.0.phone: Include the area code, e.g. 0755-88889999',
  },
  details: [
    { field: 'contacts.0.phone', code: 'phone_area_code', 'zh-CN': 'contacts.0.phone:客户电话需含区号,示例:0755-88889999', en: 'contacts.0.phone: Include the area code, e.g. 0755-88889999' },
    { field: 'title', code: 'string_too_short', 'zh-CN': 'title:太短(String should have at least 1 character)', en: 'title: String should have at least 1 character' },
  ],
}

describe('errorText', () => {
  it('picks the message in the current language', () => {
    const body = { code: 'state_conflict', message: '工单已被他人修改', messages: { 'zh-CN': '工单已被他人修改', en: 'The order changed' } }
    expect(errorText(body, 'en')).toBe('The order changed')
    expect(errorText(new ApiError(409, body), 'zh-CN')).toBe('工单已被他人修改')
  })

  it('falls back to message when messages lack the language', () => {
    expect(errorText({ code: 'x', message: 'plain' }, 'en')).toBe('plain')
  })

  it('names network failures', () => {
    expect(errorText(new TypeError('Failed to fetch'), 'en')).toBe('Network error: Failed to fetch')
    expect(errorText(new ApiError(502, null), 'zh-CN')).toBe('HTTP 502')
  })
})

describe('fieldErrors', () => {
  it('keys 422 details by field and strips the field prefix', () => {
    expect(fieldErrors(validation, 'zh-CN')).toEqual({
      'contacts.0.phone': '客户电话需含区号,示例:0755-88889999',
      title: '太短(String should have at least 1 character)',
    })
    expect(fieldErrors(new ApiError(422, validation), 'en')['contacts.0.phone'])
      .toBe('Include the area code, e.g. 0755-88889999')
  })

  it('is empty for errors without details', () => {
    expect(fieldErrors({ code: 'x', message: 'y' }, 'en')).toEqual({})
    expect(fieldErrors(new Error('boom'), 'en')).toEqual({})
  })
})

describe('reasonTexts', () => {
  it('lists the failing guards of a 409', () => {
    const body = {
      code: 'photo_required', message: 'x', details: [
        { code: 'repair_note_required', 'zh-CN': '需填写维修记录', en: 'A repair note is needed' },
        { code: 'photo_required', 'zh-CN': '需上传照片', en: 'A photo is needed' },
      ],
    }
    expect(reasonTexts(body, 'en')).toEqual(['A repair note is needed', 'A photo is needed'])
  })
})

describe('unwrap', () => {
  it('returns data or throws an ApiError with the body', () => {
    expect(unwrap({ data: 1, response: new Response(null, { status: 200 }) })).toBe(1)
    const err = { code: 'not_found', message: '不存在' }
    try {
      unwrap({ error: err, response: new Response(null, { status: 404 }) })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError)
      expect((e as ApiError).status).toBe(404)
      expect((e as ApiError).body).toEqual(err)
    }
  })
})
