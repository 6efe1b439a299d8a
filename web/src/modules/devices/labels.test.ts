// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { labelIds } from './labels'

describe('label ids', () => {
  it('are unique, sorted and comma-separated', () => {
    expect(labelIds([3, 1, 2, 3])).toBe('1,2,3')
  })
})
