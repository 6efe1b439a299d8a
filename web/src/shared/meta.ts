// /api/v1/meta, fetched once per page load: labels and colours of every enum, by locale.
import { computed, ref, toValue, type MaybeRefOrGetter } from 'vue'
import { api } from '@/api/client'
import { pick, type LocalizedText } from './locale'

export interface EnumChoice {
  value: string
  label: LocalizedText
  color?: string
}

export interface WorkflowStep {
  action: string
  from: string[]
  to: string
  roles: string[]
  guards: string[]
  needs_reason: boolean
  label: LocalizedText
}

export interface Meta {
  version: string
  enums: Record<string, EnumChoice[]>
  workflows: Record<string, WorkflowStep[]>
}

export type EnumName = 'type' | 'state' | 'priority' | 'tier' | 'role' | (string & {})

const meta = ref<Meta | null>(null)
let loading: Promise<Meta> | null = null

/** Load the meta document (once; later calls share the first request). */
export function loadMeta(): Promise<Meta> {
  if (!loading) {
    loading = api.GET('/api/v1/meta').then(({ data, response }) => {
      if (!data || !response.ok) throw new Error(`meta: HTTP ${response.status}`)
      meta.value = data as unknown as Meta
      return meta.value
    })
    loading.catch(() => { loading = null })  // a failed load may be retried
  }
  return loading
}

/** The label of `value` in enum `name`; the raw value while meta is loading or unknown. */
export function enumLabel(m: Meta | null, name: EnumName, value: string | null | undefined,
  locale: string): string {
  if (value == null) return ''
  const choice = m?.enums[name]?.find((c) => c.value === value)
  return choice ? pick(choice.label, locale, value) : value
}

export function enumColor(m: Meta | null, name: EnumName, value: string | null | undefined):
  string | undefined {
  if (value == null) return undefined
  return m?.enums[name]?.find((c) => c.value === value)?.color
}

/** The label of a workflow action (same across order types), e.g. assign → 派单. */
export function actionLabel(m: Meta | null, action: string, locale: string): string {
  for (const steps of Object.values(m?.workflows ?? {})) {
    const step = steps.find((s) => s.action === action)
    if (step) return pick(step.label, locale, action)
  }
  return action
}

/** Enum labels and colours for the given locale (a ref, getter or plain string). */
export function useMeta(locale: MaybeRefOrGetter<string>) {
  void loadMeta().catch(() => undefined)
  return {
    meta,
    ready: computed(() => meta.value !== null),
    label: (name: EnumName, value: string | null | undefined) =>
      enumLabel(meta.value, name, value, toValue(locale)),
    color: (name: EnumName, value: string | null | undefined) =>
      enumColor(meta.value, name, value),
    actionLabel: (action: string) => actionLabel(meta.value, action, toValue(locale)),
    options: (name: EnumName) => computed(() =>
      (meta.value?.enums[name] ?? []).map((c) => ({
        value: c.value, label: pick(c.label, toValue(locale), c.value), color: c.color,
      }))),
  }
}

/** For tests: forget the cached document. */
export function resetMetaForTests(m: Meta | null = null): void {
  meta.value = m
  loading = m ? Promise.resolve(m) : null
}
