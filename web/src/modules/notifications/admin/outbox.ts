// The outbox as admins read it: status colours, the message's subject, and who or what it
// went to (a configured channel's name rather than its id).
import type { Schemas } from '@/api/client'

export type OutboxRow = Schemas['OutboxOut']
export type OutboxStatus = Schemas['OutboxStatus']

export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sending', 'sent', 'dead']

/** Colour names of the shared palette (shared/colors.ts). */
export const OUTBOX_COLORS: Record<OutboxStatus, string> = {
  pending: 'blue', sending: 'orange', sent: 'green', dead: 'red',
}

export function subjectOf(row: OutboxRow): string {
  const s = row.payload?.subject
  return typeof s === 'string' ? s : ''
}

/** "ERP 回调 (#3) → 138****1234" for a configured channel, "用户 #12" for in-app rows, "—" for
 *  a fan-out (it stands for many). */
export function targetText(row: OutboxRow, channelNames: Map<number, string>, userWord = 'user'): string {
  if (row.channel === 'fanout') return '—'
  if (row.channel === 'inapp') return `${userWord} #${row.target}`
  const id = Number(row.target)
  const name = Number.isInteger(id) ? channelNames.get(id) : undefined
  const base = name ? `${name} (#${id})` : row.target
  return row.recipient ? `${base} → ${row.recipient}` : base
}

export const canRetry = (row: OutboxRow) => row.status === 'dead'
