// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest'
import { currentGps, gpsHeader } from './gps'

const position = (lat: number, lng: number, accuracy: number) =>
  ({ coords: { latitude: lat, longitude: lng, accuracy } }) as GeolocationPosition

describe('currentGps', () => {
  afterEach(() => vi.useRealTimers())

  it('returns the rounded position', async () => {
    const geo = { getCurrentPosition: (ok: PositionCallback) => ok(position(22.5431234567, 114.0579876543, 12.6)) }
    expect(await currentGps(1000, geo)).toEqual({ lat: 22.543123, lng: 114.057988, accuracy: 13 })
  })

  it('gives null when refused', async () => {
    const geo = { getCurrentPosition: (_ok: PositionCallback, err?: PositionErrorCallback | null) =>
      err?.({ code: 1, message: 'denied' } as GeolocationPositionError) }
    expect(await currentGps(1000, geo)).toBeNull()
  })

  it('gives null after the timeout when the phone never answers', async () => {
    vi.useFakeTimers()
    const geo = { getCurrentPosition: vi.fn() }
    const p = currentGps(2500, geo)
    vi.advanceTimersByTime(2499)
    let settled = false
    void p.then(() => (settled = true))
    await Promise.resolve()
    expect(settled).toBe(false)
    vi.advanceTimersByTime(1)
    expect(await p).toBeNull()
  })

  it('ignores a late answer after the timeout', async () => {
    vi.useFakeTimers()
    let late: PositionCallback = () => {}
    const geo = { getCurrentPosition: (ok: PositionCallback) => { late = ok } }
    const p = currentGps(100, geo)
    vi.advanceTimersByTime(100)
    late(position(1, 2, 3))
    expect(await p).toBeNull()
  })

  it('gives null without geolocation or when it throws', async () => {
    expect(await currentGps(100, null)).toBeNull()
    expect(await currentGps(100, { getCurrentPosition: () => { throw new Error('insecure') } })).toBeNull()
  })
})

describe('gpsHeader', () => {
  it('joins lat, lng and accuracy', () => {
    expect(gpsHeader({ lat: 22.5, lng: 114.1, accuracy: 8 })).toBe('22.5,114.1,8')
    expect(gpsHeader({ lat: 22.5, lng: 114.1, accuracy: null })).toBe('22.5,114.1,')
  })
})
