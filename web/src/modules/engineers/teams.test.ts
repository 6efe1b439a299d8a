// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { matchTeams, teamValue } from './teams'

const TEAMS = [{ name: '华东服务组', engineers: 5 }, { name: '华南服务组', engineers: 6 }, { name: 'Field Team A', engineers: 1 }]

describe('team names', () => {
  it('are suggested by what was typed, all of them for nothing', () => {
    expect(matchTeams(TEAMS, '')).toHaveLength(3)
    expect(matchTeams(TEAMS, ' 华南 ')).toEqual([{ value: '华南服务组' }])
    expect(matchTeams(TEAMS, 'team')).toEqual([{ value: 'Field Team A' }])
    expect(matchTeams(TEAMS, '西北')).toEqual([])
  })

  it('are trimmed for the API, and an empty one means no team', () => {
    expect(teamValue('  华南服务组 ')).toBe('华南服务组')
    expect(teamValue('   ')).toBeNull()
    expect(teamValue('')).toBeNull()
  })
})
