// A clock for countdowns: one shared timer ticking every 30 s while any component uses it.
import { getCurrentScope, onScopeDispose, readonly, ref, type Ref } from 'vue'

export const TICK_MS = 30_000

const now = ref(Date.now())
let users = 0
let timer: ReturnType<typeof setInterval> | null = null

function tick() {
  now.value = Date.now()
}

/** Milliseconds since the epoch, refreshed every 30 s (and when the tab comes back). */
export function useNow(): Readonly<Ref<number>> {
  if (getCurrentScope()) {
    if (users++ === 0) {
      tick() // the clock was asleep: catch up before the first render
      timer = setInterval(tick, TICK_MS)
      document.addEventListener('visibilitychange', tick)
    }
    onScopeDispose(() => {
      if (--users === 0 && timer !== null) {
        clearInterval(timer)
        timer = null
        document.removeEventListener('visibilitychange', tick)
      }
    })
  } else {
    tick()
  }
  return readonly(now)
}
