// The SLA settings page shares its loaded tables with its tabs through provide/inject.
import { inject, type InjectionKey } from 'vue'
import type { SlaSettings } from './useSlaSettings'

export const SLA_SETTINGS: InjectionKey<SlaSettings> = Symbol('sla-settings')

export function useSlaContext(): SlaSettings {
  const s = inject(SLA_SETTINGS)
  if (!s) throw new Error('SLA settings used outside SlaSettingsPage')
  return s
}
