// Dates as the desk shows them: local time, "2026-11-20 18:17"; durations in words.
import dayjs from 'dayjs'

export function formatDateTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return ''
  const d = dayjs(iso)
  return d.isValid() ? d.format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm') : iso
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = dayjs(iso)
  return d.isValid() ? d.format('YYYY-MM-DD') : iso
}

/** A span of seconds as "3 分 12 秒" / "3 min 12 s" (hours and days for longer spans). */
export function formatDuration(seconds: number | null | undefined, locale: string): string {
  if (seconds == null || !Number.isFinite(seconds)) return ''
  const s = Math.max(0, Math.round(seconds))
  const en = locale === 'en'
  const units: [number, string, string][] = [
    [86400, '天', 'd'], [3600, '小时', 'h'], [60, '分', 'min'], [1, '秒', 's'],
  ]
  const parts: string[] = []
  let rest = s
  for (const [size, zh, e] of units) {
    const n = Math.floor(rest / size)
    rest -= n * size
    if (n > 0 && parts.length < 2) parts.push(en ? `${n} ${e}` : `${n} ${zh}`)
  }
  return parts.length ? parts.join(' ') : en ? '0 s' : '0 秒'
}

/** [from, to) as ISO strings for a date-range picker value of two 'YYYY-MM-DD' days. */
export function dayRangeToIso(range: [string, string] | null | undefined):
  { from?: string; to?: string } {
  if (!range || !range[0] || !range[1]) return {}
  return {
    from: dayjs(range[0]).startOf('day').toISOString(),
    to: dayjs(range[1]).add(1, 'day').startOf('day').toISOString(),
  }
}
