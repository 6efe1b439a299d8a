// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import { actionLabel, enumColor, enumLabel, resetMetaForTests, useMeta, type Meta } from './meta'

const meta: Meta = {
  version: '0',
  enums: {
    state: [
      { value: 'new', label: { 'zh-CN': '新建', en: 'New' }, color: 'grey' },
      { value: 'assigned', label: { 'zh-CN': '已派单', en: 'Assigned' }, color: 'blue' },
    ],
    role: [{ value: 'agent', label: { 'zh-CN': '客服', en: 'Agent' } }],
  },
  workflows: {
    repair: [{ action: 'assign', from: ['new'], to: 'assigned', roles: [], guards: [], needs_reason: false, label: { 'zh-CN': '派单', en: 'Assign' } }],
  },
}

afterEach(() => resetMetaForTests())

describe('enum labels', () => {
  it('gives the label in the locale and the colour', () => {
    expect(enumLabel(meta, 'state', 'assigned', 'zh-CN')).toBe('已派单')
    expect(enumLabel(meta, 'state', 'assigned', 'en')).toBe('Assigned')
    expect(enumColor(meta, 'state', 'new')).toBe('grey')
    expect(enumLabel(meta, 'role', 'agent', 'en')).toBe('Agent')
  })

  it('shows the raw value while meta is missing or the value unknown', () => {
    expect(enumLabel(null, 'state', 'new', 'en')).toBe('new')
    expect(enumLabel(meta, 'state', 'weird', 'en')).toBe('weird')
    expect(enumLabel(meta, 'state', null, 'en')).toBe('')
  })

  it('labels workflow actions', () => {
    expect(actionLabel(meta, 'assign', 'zh-CN')).toBe('派单')
    expect(actionLabel(meta, 'frobnicate', 'en')).toBe('frobnicate')
  })

  it('useMeta follows the locale it is given', () => {
    resetMetaForTests(meta)
    let locale = 'zh-CN'
    const m = useMeta(() => locale)
    expect(m.label('state', 'new')).toBe('新建')
    locale = 'en'
    expect(m.label('state', 'new')).toBe('New')
    expect(m.options('state').value.map((o) => o.label)).toEqual(['New', 'Assigned'])
  })
})
