// Where an order stands for the customer: four plain steps instead of eight states.

export const STEPS = ['received', 'assigned', 'repairing', 'confirm', 'done'] as const
export type Step = (typeof STEPS)[number]

const STEP_OF_STATE: Record<string, Step> = {
  new: 'received',
  dispatching: 'received',
  assigned: 'assigned',
  in_progress: 'repairing',
  on_hold: 'repairing',
  awaiting_confirmation: 'confirm',
  closed: 'done',
}

/** Index into STEPS for a state; -1 for cancelled or unknown (the page shows no progress bar). */
export function stepIndex(state: string): number {
  const step = STEP_OF_STATE[state]
  return step ? STEPS.indexOf(step) : -1
}

