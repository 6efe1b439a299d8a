// How the engineer's screen groups orders and actions. Labels come from the API; this only
// decides what sits where.

export const TABS = [
  { key: 'todo', states: ['assigned'] },
  { key: 'doing', states: ['in_progress', 'on_hold'] },
  { key: 'confirm', states: ['awaiting_confirmation'] },
] as const

export type TabKey = (typeof TABS)[number]['key']

// the next step of the job: big buttons on the card; everything else folds away under "more"
const PRIMARY = ['accept', 'start', 'resume', 'decline']

interface ActionLike {
  action: string
  allowed: boolean
}

export function splitActions<A extends ActionLike>(actions: A[]) {
  const resolve = actions.find((a) => a.action === 'resolve') ?? null
  const rest = actions.filter((a) => a.action !== 'resolve' && a.allowed)
  return {
    resolve,
    primary: rest.filter((a) => PRIMARY.includes(a.action)).sort((a, b) => PRIMARY.indexOf(a.action) - PRIMARY.indexOf(b.action)),
    secondary: rest.filter((a) => !PRIMARY.includes(a.action)),
  }
}

/** Vant button type for an action: the forward move stands out, a refusal is red. */
export function buttonType(action: string): 'primary' | 'danger' | 'default' {
  if (action === 'decline' || action === 'cancel') return 'danger'
  if (action === 'accept' || action === 'start' || action === 'resume' || action === 'resolve') return 'primary'
  return 'default'
}

// colour names from /api/v1/meta → the app's palette
const PALETTE: Record<string, string> = {
  grey: '#969799', purple: '#7232dd', blue: '#1989fa', cyan: '#0891b2', orange: '#ff976a',
  green: '#07c160', yellow: '#d4a017', red: '#ee0a24',
}
export const colorOf = (name: string | undefined) => (name && PALETTE[name]) || '#969799'
