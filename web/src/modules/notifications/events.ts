// "*" in a user's preferences and in templates' lists: every event.
export const EVERY_EVENT = '*'
