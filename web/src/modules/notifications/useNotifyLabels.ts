// Words for notification values on the desk. /api/v1/meta has no channel or outbox enums yet,
// so the desk's own messages name them; should meta gain `channel_kind` or `outbox_status`,
// its labels win. Events are named by the messages, else shown as they are.
import { useI18n } from 'vue-i18n'
import { useMeta } from '@/shared/meta'
import { eventKey } from './events'

export function useNotifyLabels() {
  const { t, te, locale } = useI18n()
  const meta = useMeta(locale)
  const from = (name: string, value: string, key: string) =>
    meta.meta.value?.enums[name]?.some((c) => c.value === value) ? meta.label(name, value)
      : te(key) ? t(key) : value
  return {
    kind: (k: string) => from('channel_kind', k, `notify.channel.${k}`),
    status: (s: string) => from('outbox_status', s, `notify.status.${s}`),
    event: (e: string) => (e === '*' ? t('notify.everyEvent') : te(eventKey(e)) ? t(eventKey(e)) : e),
  }
}
