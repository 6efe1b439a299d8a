// The SLA matrix editor: rows of tier × fault type × priority → policy, saved as a whole list
// (its order is the tie-break order). Error keys are "<row>.<field>" like the server's 422s on
// the list body ("2.tier").
import type { Schemas } from '@/api/client'
import type { Translate } from '@/apps/desk/formErrors'

export type Tier = Schemas['Tier']
export type Priority = Schemas['Priority']

export interface RuleDraft {
  /** a local key for v-for; not sent */
  key: number
  tier: Tier | null
  faultType: string
  priority: Priority | null
  policyId: number | null
}

let nextKey = 1

export function newRule(p: Partial<Omit<RuleDraft, 'key'>> = {}): RuleDraft {
  return { key: nextKey++, tier: null, faultType: '', priority: null, policyId: null, ...p }
}

export function draftsFromRules(rules: Schemas['RuleOut'][]): RuleDraft[] {
  return [...rules].sort((a, b) => a.position - b.position).map((r) => newRule({
    tier: r.tier ?? null, faultType: r.fault_type ?? '', priority: r.priority ?? null, policyId: r.policy_id,
  }))
}

export function toRulesIn(rows: RuleDraft[]): Schemas['RuleIn'][] {
  return rows.map((r) => ({
    tier: r.tier, fault_type: r.faultType.trim() || null, priority: r.priority, policy_id: r.policyId ?? 0,
  }))
}

const sameCells = (a: RuleDraft, b: RuleDraft) =>
  a.tier === b.tier && a.priority === b.priority && a.faultType.trim() === b.faultType.trim()

/** How many cells a rule pins down: the most specific matching rule wins. */
export function specificity(r: RuleDraft): number {
  return Number(r.tier != null) + Number(r.faultType.trim() !== '') + Number(r.priority != null)
}

export function validateRules(rows: RuleDraft[], t: Translate): Record<string, string> {
  const e: Record<string, string> = {}
  rows.forEach((r, i) => {
    if (r.policyId == null) e[`${i}.policy_id`] = t('form.required')
    if (r.faultType.trim().length > 64) e[`${i}.fault_type`] = t('form.tooLong', { max: 64 })
    const first = rows.findIndex((o) => sameCells(o, r))
    if (first < i) e[`${i}`] = t('slaAdmin.err.duplicateRule', { n: first + 1 })
  })
  return e
}

/** Move row i up (-1) or down (+1); the list's order breaks ties. */
export function moveRule(rows: RuleDraft[], i: number, delta: -1 | 1): void {
  const j = i + delta
  if (j < 0 || j >= rows.length) return
  const [r] = rows.splice(i, 1)
  rows.splice(j, 0, r)
}

/** Whether the rows differ from what was loaded (cells and order). */
export function rulesChanged(rows: RuleDraft[], saved: Schemas['RuleOut'][]): boolean {
  return JSON.stringify(toRulesIn(rows)) !== JSON.stringify(toRulesIn(draftsFromRules(saved)))
}
