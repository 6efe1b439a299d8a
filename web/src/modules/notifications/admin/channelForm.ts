// The notification channel form: one draft for every kind, turned into the kind's settings
// ({msgtype, per_minute} for WeCom, {host, port, user, …} for email, …). The server never
// shows a secret and masks keys in URLs, so an edit sends the URL only when it was changed and
// the secret only when one was typed (or cleared on purpose).
import type { Schemas } from '@/api/client'
import type { Translate } from '@/apps/desk/formErrors'

export const KINDS = ['wecom', 'dingtalk', 'feishu', 'email', 'sms', 'webhook'] as const
export type Kind = (typeof KINDS)[number]
export const ROBOTS: readonly Kind[] = ['wecom', 'dingtalk', 'feishu']

/** Example addresses per kind (vendor URLs, the same in every language). */
export const URL_EXAMPLES: Record<Kind, string> = {
  wecom: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
  dingtalk: 'https://oapi.dingtalk.com/robot/send?access_token=…',
  feishu: 'https://open.feishu.cn/open-apis/bot/v2/hook/…',
  email: '',
  sms: 'https://dysmsapi.aliyuncs.com/',
  webhook: 'https://erp.example.com/hooks/bihuan',
}

export interface SmsTemplateRow {
  event: string
  code: string
}

export interface ChannelDraft {
  kind: Kind
  name: string
  url: string
  secret: string
  clearSecret: boolean
  enabled: boolean
  perMinute: number | null
  msgtype: '' | 'text' | 'markdown'
  host: string
  port: number | null
  user: string
  starttls: boolean
  ssl: boolean
  sender: string
  accessKeyId: string
  signName: string
  templateCode: string
  templates: SmsTemplateRow[]
  params: string
  regionId: string
}

export const needsUrl = (k: Kind) => k !== 'email' && k !== 'sms'
export const showsUrl = (k: Kind) => k !== 'email'
export const needsSecret = (k: Kind) => k === 'webhook' || k === 'sms'

export function emptyChannel(kind: Kind = 'wecom'): ChannelDraft {
  return {
    kind, name: '', url: '', secret: '', clearSecret: false, enabled: true, perMinute: null, msgtype: '',
    host: '', port: 25, user: '', starttls: false, ssl: false, sender: '', accessKeyId: '', signName: '',
    templateCode: '', templates: [], params: '', regionId: '',
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)

export function draftFromChannel(c: Schemas['ChannelOut']): ChannelDraft {
  const s = c.settings ?? {}
  const kind = (KINDS as readonly string[]).includes(c.kind) ? (c.kind as Kind) : 'webhook'
  const templates = s.templates && typeof s.templates === 'object'
    ? Object.entries(s.templates as Record<string, unknown>).map(([event, code]) => ({ event, code: str(code) }))
    : []
  return {
    ...emptyChannel(kind), name: c.name, url: c.url ?? '', enabled: c.enabled,
    perMinute: num(s.per_minute), msgtype: s.msgtype === 'text' || s.msgtype === 'markdown' ? s.msgtype : '',
    host: str(s.host), port: num(s.port) ?? 25, user: str(s.user), starttls: s.starttls === true,
    ssl: s.ssl === true, sender: str(s.sender), accessKeyId: str(s.access_key_id), signName: str(s.sign_name),
    templateCode: str(s.template_code), templates,
    params: Array.isArray(s.params) ? s.params.map(String).join(', ') : '', regionId: str(s.region_id),
  }
}

/** The kind's settings object, leaving out what was left empty. */
export function settingsOf(d: ChannelDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const put = (k: string, v: unknown) => {
    if (v !== '' && v !== null && v !== undefined) out[k] = typeof v === 'string' ? v.trim() : v
  }
  if (ROBOTS.includes(d.kind)) put('per_minute', d.perMinute)
  if (d.kind === 'wecom') put('msgtype', d.msgtype)
  if (d.kind === 'email') {
    put('host', d.host); put('port', d.port); put('user', d.user.trim())
    out.starttls = d.starttls
    out.ssl = d.ssl
    put('sender', d.sender)
  }
  if (d.kind === 'sms') {
    put('access_key_id', d.accessKeyId); put('sign_name', d.signName); put('template_code', d.templateCode.trim())
    const templates = Object.fromEntries(d.templates.filter((r) => r.event.trim() && r.code.trim())
      .map((r) => [r.event.trim(), r.code.trim()]))
    if (Object.keys(templates).length) out.templates = templates
    const params = d.params.split(/[,,\s]+/).map((p) => p.trim()).filter(Boolean)
    if (params.length) out.params = params
    put('region_id', d.regionId.trim())
  }
  return out
}

export function toChannelIn(d: ChannelDraft): Schemas['ChannelIn'] {
  return {
    kind: d.kind, name: d.name.trim(), url: showsUrl(d.kind) ? d.url.trim() || null : null,
    secret: d.secret || null, enabled: d.enabled, settings: settingsOf(d),
  }
}

/** The changes for PATCH: the (masked) URL only if edited, the secret only if typed or cleared. */
export function toChannelPatch(d: ChannelDraft, was: Schemas['ChannelOut']): Schemas['ChannelPatch'] {
  const out: Schemas['ChannelPatch'] = { name: d.name.trim(), enabled: d.enabled, settings: settingsOf(d) }
  const url = d.url.trim()
  if (showsUrl(d.kind) && url !== (was.url ?? '')) out.url = url || null
  if (d.clearSecret) out.secret = null
  else if (d.secret) out.secret = d.secret
  return out
}

/** Field errors keyed url, secret, name and settings.<key> like the server's. */
export function validateChannel(d: ChannelDraft, t: Translate, hadSecret = false): Record<string, string> {
  const e: Record<string, string> = {}
  const required = t('form.required')
  if (!d.name.trim()) e.name = required
  else if (d.name.trim().length > 64) e.name = t('form.tooLong', { max: 64 })
  const url = d.url.trim()
  if (needsUrl(d.kind) && !url) e.url = required
  else if (showsUrl(d.kind) && url && !/^https?:\/\/[^/\s]+/i.test(url)) e.url = t('notifyAdmin.err.url')
  const willHaveSecret = d.clearSecret ? false : !!d.secret || hadSecret
  if (needsSecret(d.kind) && !willHaveSecret) e.secret = required
  if (d.perMinute != null && (d.perMinute < 1 || d.perMinute > 1000) && ROBOTS.includes(d.kind)) {
    e['settings.per_minute'] = t('notifyAdmin.err.perMinute')
  }
  if (d.kind === 'email') {
    if (!d.host.trim()) e['settings.host'] = required
    if (d.port == null || d.port < 1 || d.port > 65535) e['settings.port'] = t('notifyAdmin.err.port')
    if (!/.+@.+/.test(d.sender.trim())) e['settings.sender'] = t('notifyAdmin.err.sender')
  }
  if (d.kind === 'sms') {
    if (!d.accessKeyId.trim()) e['settings.access_key_id'] = required
    if (!d.signName.trim()) e['settings.sign_name'] = required
  }
  return e
}

/** Domain error codes of the channel routes → the field they are about. */
export const CHANNEL_ERROR_FIELDS: Record<string, string> = {
  channel_url_required: 'url', channel_url_invalid: 'url', channel_secret_required: 'secret',
}
