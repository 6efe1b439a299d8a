// Where a notification's link leads in each app. The server writes desk links
// (/desk/work-orders/12); the engineer app opens the same order at /m/orders/12.

/** A route inside the current app, or a full page load for anything else. */
export type Target = { route: string } | { href: string }

const ORDER = /^\/(?:desk\/work-orders|m\/orders)\/(\d+)(?:[/?#].*)?$/

/** Only site-relative paths: a notification must never send anyone to another site. */
function local(link: string | null | undefined): string | null {
  if (!link) return null
  const s = link.trim()
  return s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\') ? s : null
}

export function deskTarget(link: string | null | undefined): Target | null {
  const s = local(link)
  if (!s) return null
  const order = ORDER.exec(s)
  if (order) return { route: `/work-orders/${order[1]}` }
  if (s === '/desk' || s.startsWith('/desk/')) return { route: s.slice('/desk'.length) || '/' }
  return { href: s }
}

export function mobileTarget(link: string | null | undefined): Target | null {
  const s = local(link)
  if (!s) return null
  const order = ORDER.exec(s)
  if (order) return { route: `/orders/${order[1]}` }
  if (s === '/m' || s.startsWith('/m/')) return { route: s.slice('/m'.length) || '/' }
  return { href: s }
}

/** The badge's text: nothing for 0, "99+" past 99. */
export function badgeText(unread: number | null | undefined, max = 99): string {
  if (!unread || unread < 0) return ''
  return unread > max ? `${max}+` : String(unread)
}
