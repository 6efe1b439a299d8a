// Words for SLA values on the desk. /api/v1/meta has no SLA enums yet, so the desk's own
// messages name them; should meta gain `sla_status`, `board_reason` or `escalation_level`,
// its labels win.
import { useI18n } from 'vue-i18n'
import { useMeta } from '@/shared/meta'

export function useSlaLabels() {
  const { t, locale } = useI18n()
  const meta = useMeta(locale)
  const from = (name: string, value: string, key: string) =>
    meta.meta.value?.enums[name]?.some((c) => c.value === value) ? meta.label(name, value) : t(key)
  return {
    status: (s: string) => from('sla_status', s, `sla.status.${s}`),
    reason: (r: string | null | undefined) => (r ? from('board_reason', r, `board.reason.${r}`) : ''),
    level: (n: number) => from('escalation_level', String(n), `sla.levels.l${Math.max(0, Math.min(3, n))}`),
  }
}
