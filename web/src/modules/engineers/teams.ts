// The service teams engineers carry (a name each, at most one per engineer), for the team
// filter, the team editor and the SLA calendar assignments.
import { ref, shallowRef } from 'vue'
import { api, type Schemas } from '@/api/client'
import { unwrap } from '@/shared/errors'

export type Team = Schemas['TeamOut']

export function useTeams() {
  const teams = shallowRef<Team[]>([])
  const error = ref<unknown>(null)

  async function load(): Promise<void> {
    error.value = null
    try {
      teams.value = unwrap(await api.GET('/api/v1/engineers/teams'))
    } catch (e) {
      error.value = e
    }
  }

  return { teams, error, load }
}

/** Team names that contain what was typed (all of them for nothing typed), as suggestions. */
export function matchTeams(teams: readonly Team[], typed: string): { value: string }[] {
  const q = typed.trim().toLowerCase()
  return teams.filter((t) => !q || t.name.toLowerCase().includes(q)).map((t) => ({ value: t.name }))
}

/** What the API takes for a team typed in a form: trimmed, and null (no team) when empty. */
export function teamValue(typed: string): string | null {
  return typed.trim() || null
}
