// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { Schemas } from '@/api/client'
import { draftFromChannel, emptyChannel, settingsOf, toChannelIn, toChannelPatch, validateChannel } from './channelForm'

const t = (key: string) => key

function channel(p: Partial<Schemas['ChannelOut']> = {}): Schemas['ChannelOut'] {
  return {
    id: 4, kind: 'dingtalk', name: '售后群', url: 'https://oapi.dingtalk.com/robot/send?access_token=****',
    has_secret: true, enabled: true, settings: { per_minute: 20 }, created_at: '', updated_at: '', ...p,
  }
}

describe('channel form', () => {
  it('creates a robot with its settings, leaving empty ones out', () => {
    const d = { ...emptyChannel('wecom'), name: ' 企业微信群 ', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', msgtype: 'markdown' as const }
    expect(toChannelIn(d)).toEqual({ kind: 'wecom', name: '企业微信群', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc',
      secret: null, enabled: true, settings: { msgtype: 'markdown' } })
  })

  it('builds email and SMS settings', () => {
    const mail = { ...emptyChannel('email'), host: 'smtp.example.com', port: 465, ssl: true, sender: 'noreply@example.com', user: 'mailer' }
    expect(settingsOf(mail)).toEqual({ host: 'smtp.example.com', port: 465, user: 'mailer', starttls: false, ssl: true, sender: 'noreply@example.com' })
    expect(toChannelIn(mail).url).toBeNull()
    const sms = { ...emptyChannel('sms'), accessKeyId: 'LTAI', signName: '闭环', params: 'number, title,due_at',
      templates: [{ event: 'sla.breach', code: 'SMS_1' }, { event: '', code: 'x' }] }
    expect(settingsOf(sms)).toEqual({ access_key_id: 'LTAI', sign_name: '闭环', templates: { 'sla.breach': 'SMS_1' },
      params: ['number', 'title', 'due_at'] })
  })

  it('reads a stored channel back into the form', () => {
    const d = draftFromChannel(channel({ kind: 'sms', url: null, settings: { access_key_id: 'LTAI', sign_name: '闭环', templates: { 'sla.breach': 'SMS_1' }, params: ['a', 'b'] } }))
    expect(d).toMatchObject({ kind: 'sms', url: '', accessKeyId: 'LTAI', templates: [{ event: 'sla.breach', code: 'SMS_1' }], params: 'a, b' })
  })

  it('does not send the masked URL or an empty secret back on edit', () => {
    const was = channel()
    const d = draftFromChannel(was)
    d.name = '售后二群'
    expect(toChannelPatch(d, was)).toEqual({ name: '售后二群', enabled: true, settings: { per_minute: 20 } })
    d.url = 'https://oapi.dingtalk.com/robot/send?access_token=new'
    d.secret = 'SECnew'
    expect(toChannelPatch(d, was)).toMatchObject({ url: d.url, secret: 'SECnew' })
    d.secret = ''
    d.clearSecret = true
    expect(toChannelPatch(d, was).secret).toBeNull()
  })

  it('checks what each kind needs', () => {
    expect(validateChannel(emptyChannel('webhook'), t)).toEqual({ name: 'form.required', url: 'form.required', secret: 'form.required' })
    const hook = { ...emptyChannel('webhook'), name: 'ERP', url: 'ftp://erp', secret: 's' }
    expect(validateChannel(hook, t)).toEqual({ url: 'notifyAdmin.err.url' })
    const edit = { ...emptyChannel('webhook'), name: 'ERP', url: 'https://erp.example/hook' }
    expect(validateChannel(edit, t, true)).toEqual({})
    expect(validateChannel({ ...edit, clearSecret: true }, t, true)).toEqual({ secret: 'form.required' })
    expect(validateChannel({ ...emptyChannel('email'), name: 'm', port: 0, sender: 'nobody' }, t)).toEqual({
      'settings.host': 'form.required', 'settings.port': 'notifyAdmin.err.port', 'settings.sender': 'notifyAdmin.err.sender' })
    expect(validateChannel({ ...emptyChannel('sms'), name: 's', secret: 'x' }, t)).toEqual({
      'settings.access_key_id': 'form.required', 'settings.sign_name': 'form.required' })
    expect(validateChannel({ ...emptyChannel('feishu'), name: 'f', url: 'https://open.feishu.cn/x', perMinute: 5000 }, t))
      .toEqual({ 'settings.per_minute': 'notifyAdmin.err.perMinute' })
  })
})
