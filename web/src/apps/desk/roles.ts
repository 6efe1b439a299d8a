// Which roles see which desk pages (the server enforces the same on every request).
import type { Role } from './session'

export const CREATOR_ROLES: Role[] = ['agent', 'admin', 'supervisor', 'dispatcher']
export const AUDITOR_ROLES: Role[] = ['supervisor', 'director', 'admin']
/** roles that may read master data (customers, devices, engineers) */
export const DESK_ROLES: Role[] = ['admin', 'agent', 'dispatcher', 'supervisor', 'director']
export const CUSTOMER_EDITORS: Role[] = ['admin', 'agent', 'supervisor']
/** engineers' profiles (their service team, for one) */
export const ENGINEER_EDITORS: Role[] = ['admin', 'dispatcher']
export const CONFIRMERS: Role[] = ['agent', 'supervisor', 'admin']
/** the operations board: escalated and undispatched orders */
export const BOARD_ROLES: Role[] = ['director', 'supervisor', 'dispatcher', 'admin']
export const SLA_ADMINS: Role[] = ['admin']
/** channels, templates and the outbox */
export const NOTIFY_ADMINS: Role[] = ['admin']
