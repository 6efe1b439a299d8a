import { describe, expect, it } from 'vitest'
import { placeOf } from './nav'

describe('placeOf', () => {
  it('picks the page by path', () => {
    expect(placeOf('/r/abc')).toEqual({ page: 'intake', token: 'abc' })
    expect(placeOf('/t/K7Q2M9X4PA')).toEqual({ page: 'progress', code: 'K7Q2M9X4PA' })
    expect(placeOf('/t/K7Q2M9X4PA/confirm')).toEqual({ page: 'confirm', code: 'K7Q2M9X4PA' })
    expect(placeOf('/t/K7Q2M9X4PA/')).toEqual({ page: 'progress', code: 'K7Q2M9X4PA' })
  })

  it('decodes the key', () => {
    expect(placeOf('/r/a%2Db')).toEqual({ page: 'intake', token: 'a-b' })
  })

  it('knows nothing else', () => {
    for (const p of ['/', '/r/', '/r/abc/confirm', '/t/abc/sign', '/x/abc', '/r/%E0%A4%A']) {
      expect(placeOf(p)).toEqual({ page: 'none' })
    }
  })
})
