// QR label sheets: GET /api/v1/devices/labels.pdf?ids=1,2,3 (the server takes at most 240).
import { api } from '@/api/client'
import { unwrap } from '@/shared/errors'

export const MAX_LABELS = 240

export function labelIds(ids: number[]): string {
  return [...new Set(ids)].sort((a, b) => a - b).join(',')
}

export async function labelsPdf(ids: number[]): Promise<Blob> {
  return unwrap(await api.GET('/api/v1/devices/labels.pdf', {
    params: { query: { ids: labelIds(ids) } }, parseAs: 'blob',
  })) as Blob
}

/**
 * Open the PDF in a new tab. The tab is opened before the request (a popup opened after an
 * await is blocked); if the browser refuses even that, the file is downloaded instead.
 */
export async function openLabels(ids: number[]): Promise<void> {
  const tab = window.open('', '_blank')
  try {
    const url = URL.createObjectURL(await labelsPdf(ids))
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
    if (tab) {
      tab.location.href = url
    } else {
      const a = document.createElement('a')
      a.href = url
      a.download = 'labels.pdf'
      a.click()
    }
  } catch (e) {
    tab?.close()
    throw e
  }
}
