// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { draftsFromRules, moveRule, newRule, rulesChanged, specificity, toRulesIn, validateRules } from './ruleForm'

const t = (key: string, named?: Record<string, unknown>) => (named ? `${key}:${named.n}` : key)
const saved = [
  { id: 8, position: 1, tier: 'strategic' as const, fault_type: null, priority: null, policy_id: 1 },
  { id: 7, position: 0, tier: null, fault_type: null, priority: 'urgent' as const, policy_id: 5 },
]

describe('the SLA matrix editor', () => {
  it('lists rules by position and sends them back in the edited order', () => {
    const rows = draftsFromRules(saved)
    expect(rows.map((r) => r.policyId)).toEqual([5, 1])
    expect(rulesChanged(rows, saved)).toBe(false)
    moveRule(rows, 0, 1)
    expect(toRulesIn(rows)).toEqual([
      { tier: 'strategic', fault_type: null, priority: null, policy_id: 1 },
      { tier: null, fault_type: null, priority: 'urgent', policy_id: 5 },
    ])
    expect(rulesChanged(rows, saved)).toBe(true)
    moveRule(rows, 1, 1) // past the end: nothing
    expect(rows[1].policyId).toBe(5)
  })

  it('trims fault types and sends an empty one as "any"', () => {
    expect(toRulesIn([newRule({ faultType: '  主轴异响 ', policyId: 2 })])[0].fault_type).toBe('主轴异响')
    expect(toRulesIn([newRule({ faultType: '  ', policyId: 2 })])[0].fault_type).toBeNull()
  })

  it('wants a policy per row and flags a row that repeats an earlier one', () => {
    const rows = [newRule({ tier: 'key', policyId: 2 }), newRule({ tier: 'key', faultType: ' ' }), newRule({ priority: 'high', policyId: 1 })]
    expect(validateRules(rows, t)).toEqual({ '1.policy_id': 'form.required', 1: 'slaAdmin.err.duplicateRule:1' })
  })

  it('counts how specific a rule is', () => {
    expect(specificity(newRule())).toBe(0)
    expect(specificity(newRule({ tier: 'key', faultType: '漏油', priority: 'high' }))).toBe(3)
  })
})
