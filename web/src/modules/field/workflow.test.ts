// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { TABS, buttonType, colorOf, splitActions } from './workflow'

const a = (action: string, allowed = true) => ({ action, allowed })

describe('splitActions', () => {
  it('puts the next step first and folds the rest', () => {
    const s = splitActions([a('hold'), a('start'), a('decline'), a('accept')])
    expect(s.primary.map((x) => x.action)).toEqual(['accept', 'start', 'decline'])
    expect(s.secondary.map((x) => x.action)).toEqual(['hold'])
    expect(s.resolve).toBeNull()
  })
  it('keeps resolve apart even when it is blocked, and hides other blocked actions', () => {
    const s = splitActions([a('hold'), a('resolve', false), a('accept', false)])
    expect(s.resolve?.allowed).toBe(false)
    expect(s.primary).toEqual([])
    expect(s.secondary.map((x) => x.action)).toEqual(['hold'])
  })
})

describe('tabs and looks', () => {
  it('covers the engineer states once each', () => {
    const all = TABS.flatMap((t) => t.states)
    expect(new Set(all).size).toBe(all.length)
    expect(all).toContain('on_hold')
  })
  it('colours buttons and tags', () => {
    expect(buttonType('decline')).toBe('danger')
    expect(buttonType('start')).toBe('primary')
    expect(buttonType('hold')).toBe('default')
    expect(colorOf('green')).toBe('#07c160')
    expect(colorOf('nope')).toBe('#969799')
  })
})
