// Where the engineer is when acting: sent with each transition when the phone tells us,
// never waited on for long (a permission prompt or a cold GPS must not block the work).

export interface Gps {
  lat: number
  lng: number
  accuracy: number | null
}

type Geo = Pick<Geolocation, 'getCurrentPosition'>

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits

/** The current position, or null after `timeoutMs` / on refusal / without geolocation. */
export function currentGps(timeoutMs = 3000, geo: Geo | null = globalThis.navigator?.geolocation ?? null): Promise<Gps | null> {
  if (!geo) return Promise.resolve(null)
  return new Promise((resolve) => {
    let done = false
    const finish = (v: Gps | null) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve(v)
    }
    // getCurrentPosition's own timeout does not count the time the permission prompt is open
    const timer = setTimeout(() => finish(null), timeoutMs)
    try {
      geo.getCurrentPosition(
        (p) => finish({ lat: round(p.coords.latitude, 6), lng: round(p.coords.longitude, 6),
          accuracy: Number.isFinite(p.coords.accuracy) ? Math.round(p.coords.accuracy) : null }),
        () => finish(null),
        { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
      )
    } catch {
      finish(null)
    }
  })
}

/** The X-Client-GPS header value: "lat,lng,accuracy" (accuracy may be empty). */
export const gpsHeader = (g: Gps) => `${g.lat},${g.lng},${g.accuracy ?? ''}`
