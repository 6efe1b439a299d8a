// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { describeEvent, type DescribeCtx, type EventOut } from './timeline'

const LABELS: Record<string, string> = {
  'state:new': '新建', 'state:assigned': '已派单', 'state:in_progress': '处理中', 'priority:urgent': '紧急',
}
const TEXTS: Record<string, string> = {
  'timeline.create': '创建工单', 'timeline.update': '修改工单', 'timeline.confirmCustomer': '客户确认({by})',
  'timeline.flag': '标记为疑似虚假完工:{why}', 'suspected.reason.fast_close': '完工后过快关单',
  'timeline.photosAdded': '新增照片 {n} 张', 'timeline.items': '{n} 项', 'timeline.attachment': '上传{kind}',
  'attachment.kind.photo': '照片',
}
const ctx: DescribeCtx = {
  t: (k, p) => (TEXTS[k] ?? k).replace(/\{(\w+)\}/g, (_, n: string) => String(p?.[n] ?? '')),
  fieldLabel: (f) => ({ state: '状态', title: '标题', priority: '优先级', photo_refs: '照片' } as Record<string, string>)[f],
  enumLabel: (n, v) => LABELS[`${n}:${v}`] ?? v,
  actionLabel: (a) => ({ assign: '派单', start: '开工', hold: '挂起' } as Record<string, string>)[a] ?? a,
  userName: (id) => (id === 7 ? '张伟' : `#${id}`),
  customerName: (id) => `客户${id}`,
}

function ev(action: string, changes: Record<string, unknown>, extra: Partial<EventOut> = {}): EventOut {
  return {
    seq: 1, occurred_at: '2026-11-20T10:07:07Z', actor_id: 4, actor_name: 'dispatcher', actor_role: 'dispatcher',
    action, changes, reason: null, ip: '10.0.0.1', user_agent: null, gps: null, hash: 'h', ...extra,
  }
}

describe('describeEvent', () => {
  it('names the engineer of an assignment and the state change', () => {
    const s = describeEvent(ev('transition:assign', {
      assignee_id: [null, 7], state: ['new', 'assigned'], action: [null, 'assign'],
    }), ctx)
    expect(s.kind).toBe('transition')
    expect(s.title).toBe('派单 → 张伟')
    expect(s.lines).toEqual(['状态: 新建 → 已派单'])
    expect(s.ip).toBe('10.0.0.1')
  })

  it('keeps the reason and the GPS fix', () => {
    const s = describeEvent(ev('transition:hold', { state: ['in_progress', 'on_hold'], hold_from_state: [null, 'in_progress'] },
      { reason: '等备件', gps: { lat: 22.5431, lng: 114.0579, accuracy: 12.4 } }), ctx)
    expect(s.title).toBe('挂起')
    expect(s.reason).toBe('等备件')
    expect(s.gps).toBe('22.54310, 114.05790 ±12m')
  })

  it('describes creation, edits, confirmations, flags and uploads', () => {
    expect(describeEvent(ev('create', { priority: [null, 'urgent'], title: [null, 'x'] }), ctx))
      .toMatchObject({ kind: 'create', title: '创建工单', lines: ['优先级: 紧急'] })
    expect(describeEvent(ev('update', { title: ['旧', '新'], photo_refs: [['a'], ['a', 'b', 'c']] }), ctx).lines)
      .toEqual(['标题: 旧 → 新', '新增照片 2 张'])
    expect(describeEvent(ev('confirmation:customer', { confirmation: [null, { signed_by: '李工', note: '电话回访' }] }), ctx))
      .toMatchObject({ kind: 'confirmation', title: '客户确认(李工)', lines: ['电话回访'] })
    expect(describeEvent(ev('flag:suspected_fake_completion', { suspected_fake_completion: [null, { reason: 'fast_close' }] }), ctx).title)
      .toBe('标记为疑似虚假完工:完工后过快关单')
    expect(describeEvent(ev('attachment:add', { attachment: [null, { kind: 'photo' }] }), ctx).title).toBe('上传照片')
  })

  it('shows unknown actions as they are', () => {
    expect(describeEvent(ev('mystery', {}), ctx)).toMatchObject({ kind: 'other', title: 'mystery' })
  })
})
