// What the SLA settings page shows, loaded together and reloaded after each save: policies,
// the matrix, calendars (with the missing-holidays warning) and calendar assignments.
import { computed, ref, shallowRef } from 'vue'
import { api, type Schemas } from '@/api/client'
import { unwrap } from '@/shared/errors'

export type Policy = Schemas['PolicyOut']
export type Rule = Schemas['RuleOut']
export type Calendar = Schemas['CalendarOut']
export type Assignment = Schemas['AssignmentOut']

export function useSlaSettings() {
  const policies = shallowRef<Policy[]>([])
  const rules = shallowRef<Rule[]>([])
  const calendars = shallowRef<Calendar[]>([])
  const assignments = shallowRef<Assignment[]>([])
  const warning = ref<Record<string, string> | null>(null)
  const error = ref<unknown>(null)
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      const [p, r, c, a] = await Promise.all([
        api.GET('/api/v1/sla/policies'), api.GET('/api/v1/sla/rules'), api.GET('/api/v1/sla/calendars'),
        api.GET('/api/v1/sla/calendar-assignments'),
      ])
      policies.value = unwrap(p)
      rules.value = unwrap(r)
      const cals = unwrap(c)
      calendars.value = cals.items as Calendar[]
      warning.value = cals.holiday_warning
      assignments.value = unwrap(a)
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  const calendarName = (id: number | null | undefined) =>
    id == null ? '' : calendars.value.find((c) => c.id === id)?.name ?? `#${id}`
  const policyName = (id: number | null | undefined) =>
    id == null ? '' : policies.value.find((p) => p.id === id)?.name ?? `#${id}`
  const defaultPolicy = computed(() => policies.value.find((p) => p.is_default) ?? null)

  return { policies, rules, calendars, assignments, warning, error, loading, load, calendarName, policyName, defaultPolicy }
}

export type SlaSettings = ReturnType<typeof useSlaSettings>
