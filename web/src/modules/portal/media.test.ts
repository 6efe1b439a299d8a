// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { fitWithin } from './media'

describe('fitWithin', () => {
  it('keeps small images as they are', () => expect(fitWithin(800, 600)).toEqual({ w: 800, h: 600 }))
  it('shrinks the long side to the limit', () => {
    expect(fitWithin(4032, 3024)).toEqual({ w: 1920, h: 1440 })
    expect(fitWithin(3024, 4032)).toEqual({ w: 1440, h: 1920 })
    expect(fitWithin(1000, 10, 500)).toEqual({ w: 500, h: 5 })
  })
})
