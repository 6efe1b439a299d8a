// The events people are told about, for lists where the server gives no catalogue (a user's
// own preferences). Their names in the desk messages use "_" for "." (vue-i18n paths).
export const KNOWN_EVENTS = [
  'sla.breach', 'sla.at_risk', 'order.undispatched', 'order.assigned', 'order.resolved',
] as const

/** The message key of an event's name: notify.events.sla_breach. */
export const eventKey = (event: string) => `notify.events.${event.replace(/\./g, '_')}`
