// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { draftFromPolicy, emptyPolicy, joinMinutes, splitMinutes, toPolicyIn, validatePolicy } from './policyForm'

const t = (key: string) => key

describe('policy form', () => {
  it('round-trips a policy, with and without a confirmation target', () => {
    const p = { id: 3, name: '标准客户', response_minutes: 480, resolution_minutes: 2880, confirmation_minutes: null,
      calendar_id: null, is_default: true }
    const d = draftFromPolicy(p)
    expect(d.confirmationOn).toBe(false)
    expect(toPolicyIn(d)).toEqual({ name: '标准客户', response_minutes: 480, resolution_minutes: 2880,
      confirmation_minutes: null, calendar_id: null, is_default: true })
    d.confirmationOn = true
    d.confirmation = 1440
    d.calendarId = 2
    expect(toPolicyIn(d)).toMatchObject({ confirmation_minutes: 1440, calendar_id: 2 })
    d.confirmationOn = false
    expect(toPolicyIn(d).confirmation_minutes).toBeNull()
  })

  it('edits minutes as hours and minutes', () => {
    expect(splitMinutes(150)).toEqual({ hours: 2, minutes: 30 })
    expect(splitMinutes(null)).toEqual({ hours: null, minutes: null })
    expect(joinMinutes(2, 30)).toBe(150)
    expect(joinMinutes(null, 45)).toBe(45)
    expect(joinMinutes(6, null)).toBe(360)
    expect(joinMinutes(null, null)).toBeNull()
  })

  it('checks names and targets with the server\'s keys', () => {
    const d = { ...emptyPolicy(), response: null, resolution: 0, confirmationOn: true, confirmation: 60 * 24 * 91 }
    expect(validatePolicy(d, t)).toEqual({
      name: 'form.required', response_minutes: 'form.required', resolution_minutes: 'slaAdmin.err.targetMin',
      confirmation_minutes: 'slaAdmin.err.targetMax',
    })
    expect(validatePolicy({ ...emptyPolicy(), name: 'x', response: 600, resolution: 300 }, t))
      .toEqual({ resolution_minutes: 'slaAdmin.err.resolutionBeforeResponse' })
    expect(validatePolicy({ ...emptyPolicy(), name: 'x' }, t)).toEqual({})
  })
})
