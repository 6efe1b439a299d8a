// Words for notification values on the desk: channel kinds, outbox states and events all come
// from /api/v1/meta (`channel_kind`, `outbox_status`, `notify_event`), like every other enum.
// An event meta does not know (a custom one) is shown as it is.
import { useI18n } from 'vue-i18n'
import { useMeta } from '@/shared/meta'
import { EVERY_EVENT } from './events'

export function useNotifyLabels() {
  const { t, locale } = useI18n()
  const meta = useMeta(locale)
  return {
    kind: (k: string) => meta.label('channel_kind', k),
    status: (s: string) => meta.label('outbox_status', s),
    event: (e: string) => (e === EVERY_EVENT ? t('notify.everyEvent') : meta.label('notify_event', e)),
    /** The events people are told about, in the server's order. */
    events: () => meta.meta.value?.enums.notify_event?.map((c) => c.value) ?? [],
  }
}
