// Enum labels and colours from /api/v1/meta, loaded once per app start.
import { ref } from 'vue'
import { metaInfo } from './api'
import { pick } from '@/modules/portal/text'
import { colorOf } from './workflow'

type Choice = { value: string; label: Partial<Record<string, string>>; color: string }
const enums = ref<Record<string, Choice[]>>({})
let loading: Promise<void> | null = null

export function loadMeta(): Promise<void> {
  loading ??= metaInfo().then((m) => { enums.value = m.enums }).catch(() => { loading = null })
  return loading
}

/** Label and colour of one enum value; the raw value until meta has arrived. */
export function enumLabel(name: string, value: string | null | undefined, lang: string) {
  const c = enums.value[name]?.find((x) => x.value === value)
  return { text: c ? pick(c.label, lang) : (value ?? ''), color: colorOf(c?.color) }
}
