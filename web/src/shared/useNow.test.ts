import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { TICK_MS, useNow } from './useNow'
import { usePolling } from './usePolling'

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(new Date('2026-11-20T10:00:00Z'))
})
afterEach(() => vi.useRealTimers())

describe('the countdown clock', () => {
  it('ticks every 30 s while used, and stops with its last user', () => {
    const scope = effectScope()
    const now = scope.run(() => useNow())!
    const start = now.value
    vi.advanceTimersByTime(TICK_MS - 1)
    expect(now.value).toBe(start)
    vi.advanceTimersByTime(1)
    expect(now.value).toBe(start + TICK_MS)
    scope.stop()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('polling', () => {
  it('loads at once, every interval, and on focus; stops with its scope', () => {
    const load = vi.fn()
    const scope = effectScope()
    scope.run(() => usePolling(load, 30_000))
    expect(load).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(30_000)
    expect(load).toHaveBeenCalledTimes(2)
    window.dispatchEvent(new Event('focus'))
    expect(load).toHaveBeenCalledTimes(3)
    scope.stop()
    vi.advanceTimersByTime(60_000)
    window.dispatchEvent(new Event('focus'))
    expect(load).toHaveBeenCalledTimes(3)
  })
})
