// Where the customer is. The portal has three pages picked by path, so a few lines on the
// History API stand in for a router (vue-router is ~9 KB gzipped on the QR scan's cold load).
import { shallowRef } from 'vue'

export type Place =
  | { page: 'intake'; token: string }
  | { page: 'progress'; code: string }
  | { page: 'confirm'; code: string }
  | { page: 'none' }

/** /r/<token>, /t/<code>, /t/<code>/confirm (a trailing slash allowed); anything else is 'none'. */
export function placeOf(path: string): Place {
  const m = /^\/(r|t)\/([^/]+)(\/confirm)?\/?$/.exec(path)
  if (!m || (m[1] === 'r' && m[3])) return { page: 'none' }
  let key: string
  try {
    key = decodeURIComponent(m[2])
  } catch {
    return { page: 'none' }
  }
  if (m[1] === 'r') return { page: 'intake', token: key }
  return m[3] ? { page: 'confirm', code: key } : { page: 'progress', code: key }
}

/** The address the page shows; pages re-render when it changes. */
export const here = shallowRef(new URL(location.href))

function sync() {
  here.value = new URL(location.href)
}
window.addEventListener('popstate', sync)

/** Open another portal page without reloading; `replace` keeps the back button where it was. */
export function go(to: string, replace = false) {
  if (replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  sync()
  window.scrollTo(0, 0)
}
