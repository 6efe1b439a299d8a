// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { cssColor, tagStyle } from './colors'

describe('colors', () => {
  it('maps API colour names onto the palette and passes others through', () => {
    expect(cssColor('blue')).toBe('#1a73e8')
    expect(cssColor('#123456')).toBe('#123456')
    expect(cssColor(undefined)).toBe(cssColor('grey'))
  })

  it('tints the tag background with the same colour', () => {
    expect(tagStyle('red')).toEqual({ color: '#d93026', backgroundColor: '#d9302614', borderColor: '#d9302666' })
  })
})
