// Photos shrink on the phone before upload (a 12 MP shot is 4–8 MB on a slow site network);
// videos are checked for the 30 s limit so the customer hears it before waiting for an upload.

export const MAX_BYTES = 50 * 1024 * 1024
export const MAX_VIDEO_SECONDS = 30
const MAX_SIDE = 1920

/** Size that fits within `max` on the long side, keeping the aspect ratio; never enlarges. */
export function fitWithin(w: number, h: number, max = MAX_SIDE): { w: number; h: number } {
  const long = Math.max(w, h)
  if (long <= max) return { w, h }
  const k = max / long
  return { w: Math.round(w * k), h: Math.round(h * k) }
}

/** A smaller JPEG for big photos; the original for anything else or when the browser cannot. */
export async function shrinkImage(file: File): Promise<File> {
  if (!/^image\/(jpeg|png|webp)$/.test(file.type) || file.size < 600 * 1024) return file
  try {
    const bmp = await createImageBitmap(file, { imageOrientation: 'from-image' })
    const { w, h } = fitWithin(bmp.width, bmp.height)
    const canvas = document.createElement('canvas')
    canvas.width = w
    canvas.height = h
    canvas.getContext('2d')!.drawImage(bmp, 0, 0, w, h)
    bmp.close()
    const blob = await new Promise<Blob | null>((ok) => canvas.toBlob(ok, 'image/jpeg', 0.85))
    if (!blob || blob.size >= file.size) return file
    return new File([blob], file.name.replace(/\.\w+$/, '') + '.jpg', { type: 'image/jpeg' })
  } catch {
    return file
  }
}

/** A video's length in seconds, or null when the browser cannot tell within 4 s. */
export function videoSeconds(file: File): Promise<number | null> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file)
    const v = document.createElement('video')
    const done = (s: number | null) => {
      clearTimeout(timer)
      URL.revokeObjectURL(url)
      resolve(s)
    }
    const timer = setTimeout(() => done(null), 4000)
    v.preload = 'metadata'
    v.onloadedmetadata = () => done(Number.isFinite(v.duration) ? v.duration : null)
    v.onerror = () => done(null)
    v.src = url
  })
}
