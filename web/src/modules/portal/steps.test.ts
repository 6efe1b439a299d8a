// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { STEPS, stepIndex } from './steps'

describe('stepIndex', () => {
  it.each([
    ['new', 0], ['dispatching', 0], ['assigned', 1], ['in_progress', 2], ['on_hold', 2],
    ['awaiting_confirmation', 3], ['closed', 4],
  ])('%s → step %i', (state, i) => expect(stepIndex(state)).toBe(i))

  it('has no step for cancelled or unknown states', () => {
    expect(stepIndex('cancelled')).toBe(-1)
    expect(stepIndex('whatever')).toBe(-1)
  })

  it('ends at done', () => {
    expect(STEPS[stepIndex('closed')]).toBe('done')
  })
})
