// @vitest-environment node
import { describe, expect, it } from 'vitest'
import zhCN from './zh-CN'
import en from './en'

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`])
}

describe('desk messages', () => {
  it('have the same keys in both languages', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
  })

  it('use no characters vue-i18n would parse as syntax', () => {
    for (const m of [zhCN, en]) {
      const texts = JSON.stringify(m)
      expect(texts).not.toMatch(/[@|$]/)
    }
  })
})
