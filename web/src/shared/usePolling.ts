// Run `load` now, every `ms` while the tab is visible, and whenever the window gets focus or
// the tab becomes visible again; stops with the component (or effect scope) that started it.
import { getCurrentScope, onScopeDispose } from 'vue'

export function usePolling(load: () => unknown, ms = 30_000): { stop: () => void } {
  let timer: ReturnType<typeof setInterval> | null = null
  const run = () => { void load() }
  const whenVisible = () => { if (document.visibilityState !== 'hidden') run() }

  timer = setInterval(whenVisible, ms)
  window.addEventListener('focus', run)
  document.addEventListener('visibilitychange', whenVisible)
  run()

  function stop() {
    if (timer !== null) clearInterval(timer)
    timer = null
    window.removeEventListener('focus', run)
    document.removeEventListener('visibilitychange', whenVisible)
  }
  if (getCurrentScope()) onScopeDispose(stop)
  return { stop }
}
