// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { draftField, emptyDraft, toPayload, validateDraft } from './createForm'

const texts = { required: '必填', tooLong: (n: number) => `最多 ${n} 个字` }

describe('new-order form', () => {
  it('needs a title and a valid phone when one is given', () => {
    const d = emptyDraft()
    expect(validateDraft(d, 'zh-CN', texts)).toEqual({ title: '必填' })
    d.title = '主轴异响'
    d.reporter_phone = '88889999'
    expect(validateDraft(d, 'zh-CN', texts)).toEqual({ reporter_phone: '客户电话需含区号,示例:0755-88889999' })
    expect(validateDraft(d, 'en', texts).reporter_phone).toBe('Phone needs an area code, e.g. 0755-88889999')
    d.reporter_phone = '0755-88889999'
    expect(validateDraft(d, 'zh-CN', texts)).toEqual({})
  })

  it('limits lengths', () => {
    const d = { ...emptyDraft(), title: 'x'.repeat(201) }
    expect(validateDraft(d, 'zh-CN', texts).title).toBe('最多 200 个字')
  })

  it('sends trimmed text and nulls for empty fields', () => {
    const d = { ...emptyDraft(), title: ' 温度升不上去 ', customer_id: 13, device_id: 84, reporter_name: '冯永刚', reporter_phone: '19575250522' }
    expect(toPayload(d)).toEqual({
      type: 'repair', priority: 'normal', title: '温度升不上去', fault_type: null, description: null,
      customer_id: 13, device_id: 84, reporter_name: '冯永刚', reporter_phone: '19575250522',
    })
  })

  it('maps server field paths onto form fields', () => {
    expect(draftField('reporter_phone')).toBe('reporter_phone')
    expect(draftField('body.title')).toBe('title')
    expect(draftField('external_refs.0.url')).toBeNull()
  })
})
