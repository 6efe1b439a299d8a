// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { draftFromPrefs, eventRows, isMuted, mutedEverywhere, overnight, setReceive, toPrefsIn, validatePrefs } from './preferences'

const t = (key: string) => key

describe('my notification preferences', () => {
  it('reads the server\'s times and muted channels, and sends them back', () => {
    const d = draftFromPrefs({ muted: { '*': ['sms'], 'order.assigned': ['email'] }, quiet_start: '22:00:00', quiet_end: '08:00:00', locale: 'en' })
    expect(d).toMatchObject({ quietOn: true, quietStart: '22:00', quietEnd: '08:00', locale: 'en' })
    expect(isMuted(d, 'order.assigned', 'email')).toBe(true)
    expect(mutedEverywhere(d, 'sms')).toBe(true)
    expect(overnight(d)).toBe(true)
    expect(toPrefsIn(d)).toEqual({ muted: { '*': ['sms'], 'order.assigned': ['email'] }, quiet_start: '22:00', quiet_end: '08:00', locale: 'en' })
  })

  it('starts with everything on and no quiet hours', () => {
    const d = draftFromPrefs({ muted: {}, quiet_start: null, quiet_end: null, locale: 'zh-CN' })
    expect(d.quietOn).toBe(false)
    expect(toPrefsIn(d)).toEqual({ muted: {}, quiet_start: null, quiet_end: null, locale: 'zh-CN' })
  })

  it('turns "receive" switches into muted lists and drops empty ones', () => {
    const d = draftFromPrefs({ muted: {}, locale: 'zh-CN' })
    setReceive(d, 'sla.breach', 'sms', false)
    setReceive(d, 'sla.breach', 'email', false)
    expect(d.muted).toEqual({ 'sla.breach': ['email', 'sms'] })
    setReceive(d, 'sla.breach', 'email', true)
    setReceive(d, 'sla.breach', 'sms', true)
    expect(d.muted).toEqual({})
  })

  it('lists every event first, the known ones, then others muted before', () => {
    const rows = eventRows(draftFromPrefs({ muted: { 'custom.thing': ['inapp'] }, locale: 'zh-CN' }),
      ['sla.breach', 'sla.at_risk'])
    expect(rows[0]).toBe('*')
    expect(rows).toContain('sla.breach')
    expect(rows.at(-1)).toBe('custom.thing')
  })

  it('wants both ends of quiet hours, and different ones', () => {
    const d = draftFromPrefs({ muted: {}, locale: 'zh-CN' })
    expect(validatePrefs(d, t)).toEqual({})
    d.quietOn = true
    d.quietStart = '22:00'
    d.quietEnd = '22:00'
    expect(validatePrefs(d, t)).toEqual({ quiet_end: 'prefs.err.sameTimes' })
    d.quietEnd = ''
    expect(validatePrefs(d, t)).toEqual({ quiet_end: 'form.required' })
  })
})
