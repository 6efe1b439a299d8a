// Binary resources behind the bearer token (photos, label PDFs): fetched as blobs through the
// typed client and shown through object URLs, since <img src> and window.open cannot send an
// Authorization header.
import { api } from '@/api/client'
import { unwrap } from './errors'

/** The attachment id in an `attachment:<id>` photo ref; null for other refs (imported paths). */
export function attachmentId(ref: string): number | null {
  const m = /^attachment:(\d+)$/.exec(ref)
  return m ? Number(m[1]) : null
}

/** Fetch an attachment's bytes and return an object URL; the caller revokes it when done. */
export async function attachmentObjectUrl(id: number): Promise<string> {
  const blob = unwrap(await api.GET('/api/v1/attachments/{attachment_id}/content', {
    params: { path: { attachment_id: id } }, parseAs: 'blob',
  })) as Blob
  return URL.createObjectURL(blob)
}
