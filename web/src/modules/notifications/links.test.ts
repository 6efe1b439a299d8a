// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { badgeText, deskTarget, mobileTarget } from './links'

describe('notification links', () => {
  it('open orders inside each app', () => {
    expect(deskTarget('/desk/work-orders/12')).toEqual({ route: '/work-orders/12' })
    expect(deskTarget('/m/orders/12')).toEqual({ route: '/work-orders/12' })
    expect(mobileTarget('/desk/work-orders/12')).toEqual({ route: '/orders/12' })
    expect(mobileTarget('/m/orders/12?x=1')).toEqual({ route: '/orders/12' })
  })

  it('keep other desk and phone pages in their app, and load the rest', () => {
    expect(deskTarget('/desk/board')).toEqual({ route: '/board' })
    expect(mobileTarget('/m/')).toEqual({ route: '/' })
    expect(deskTarget('/t/ABC123')).toEqual({ href: '/t/ABC123' })
    expect(mobileTarget('/desk/board')).toEqual({ href: '/desk/board' })
  })

  it('never leave the site', () => {
    for (const bad of ['https://evil.example/x', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '', null, undefined]) {
      expect(deskTarget(bad)).toBeNull()
      expect(mobileTarget(bad)).toBeNull()
    }
  })

  it('show a badge only for unread ones', () => {
    expect(badgeText(0)).toBe('')
    expect(badgeText(undefined)).toBe('')
    expect(badgeText(7)).toBe('7')
    expect(badgeText(120)).toBe('99+')
  })
})
