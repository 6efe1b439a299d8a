// Desk app strings, zh-CN (the default). Enum labels are not here: they come from /api/v1/meta.
export default {
  app: { name: '闭环 Bihuan 工作台' },
  nav: {
    workOrders: '工单', newOrder: '新建工单', customers: '客户', devices: '设备', engineers: '工程师',
    suspected: '疑似虚假完工', logout: '退出登录', board: '运营看板', sla: 'SLA 设置',
  },
  login: {
    title: '登录', subtitle: '售后服务工单 · 每一单都闭环', username: '用户名', password: '密码', submit: '登录',
  },
  common: {
    back: '返回', cancel: '取消', confirm: '确定', save: '保存', saved: '已保存', delete: '删除', search: '搜索',
    reset: '清除筛选', refresh: '刷新', open: '查看', copy: '复制', copied: '已复制', empty: '暂无数据',
    notFound: '页面不存在', total: '共 {n} 条', totalAtLeast: '至少 {n} 条',
  },
  form: { required: '必填', tooLong: '最多 {max} 个字' },
  wo: {
    number: '工单号', title: '标题', state: '状态', type: '类型', priority: '优先级', customer: '客户',
    assignee: '工程师', device: '设备', reporter: '报修人', reporterPhone: '报修电话', faultType: '故障类型',
    description: '故障描述', repairNote: '维修记录', photos: '照片', details: '工单信息', timeline: '处理记录',
    createdAt: '创建时间', acceptedAt: '接单时间', startedAt: '开工时间', resolvedAt: '完工时间',
    closedAt: '关单时间', updatedAt: '最后更新', heldFrom: '挂起前状态', externalRefs: '外部单号',
    createdFrom: '创建起', createdTo: '创建止', searchPlaceholder: '工单号 / 客户名 / 设备序列号 / 报修电话',
    tracking: '客户进度链接', trackingHint: '发给客户:可查看进度、确认完工(无需登录)',
  },
  views: {
    placeholder: '已保存的视图', save: '保存视图', saved: '视图已保存', name: '视图名称',
    share: '共享给所有“{role}”', sharedWith: '{role}共享',
  },
  actions: {
    none: '当前没有可执行的操作', done: '已{action}', reason: '原因', engineer: '工程师',
    pickEngineer: '选择工程师', skillMatch: '技能匹配',
  },
  confirm: {
    button: '登记确认', kind: '确认类型', customer: '客户确认', qa: '质检验证', signedBy: '确认人(客户)',
    verifiedBy: '质检人', note: '备注', notePlaceholder: '如:电话回访,客户确认设备已恢复正常', recorded: '确认已登记',
  },
  photos: { none: '暂无照片', failed: '加载失败' },
  attachment: { kind: { photo: '照片', video: '视频', signature: '签名', file: '文件' } },
  timeline: {
    create: '创建工单', update: '修改工单', reason: '原因', items: '{n} 项', photosAdded: '新增照片 {n} 张',
    confirmCustomer: '客户确认({by})', confirmQa: '质检验证({by})', flag: '标记为疑似虚假完工:{why}',
    attachment: '上传{kind}',
  },
  field: {
    type: '类型', title: '标题', description: '描述', fault_type: '故障类型', priority: '优先级',
    customer_id: '客户', device_id: '设备', reporter_name: '报修人', reporter_phone: '报修电话',
    assignee_id: '工程师', state: '状态', repair_note: '维修记录', photo_refs: '照片', external_refs: '外部单号',
    hold_from_state: '挂起前状态', accepted_at: '接单时间', started_at: '开工时间', resolved_at: '完工时间',
    closed_at: '关单时间', number: '工单号', reporter_id: '登记人',
  },
  create: {
    submit: '创建工单', created: '已创建工单 {number}', contact: '联系人', contacts: '联系人(点击填入报修人)',
    pickContact: '选择联系人,自动填入报修人和电话', useContact: '用作报修人', phonePlaceholder: '手机 13812345678 或座机 0755-88889999',
    pickDevice: '选择该客户的设备', searchDevice: '搜索设备序列号或型号', faultPlaceholder: '如:主轴异响',
    history: '最近工单(故障历史)', allOrders: '全部 {n} 张', noHistory: '该客户暂无工单',
    pickCustomerHint: '先选择客户:会带出服务等级、联系人、设备和故障历史。',
  },
  customer: {
    code: '客户编码', name: '客户名称', tier: '客户等级', serviceLevel: '服务等级', region: '地区',
    province: '省份', city: '城市', address: '地址', contract: '合同到期', contacts: '联系人', primary: '主联系人',
    primaryContact: '主联系人', contactName: '姓名', contactTitle: '职务', addContact: '添加联系人',
    searchPlaceholder: '客户名称或编码', new: '新建客户', orders: '工单', serviceLevelHint: '留空则按客户等级默认',
  },
  device: {
    model: '型号', serial: '序列号', family: '系列', location: '安装位置', installedOn: '安装日期',
    warrantyUntil: '保修至', inWarranty: '在保', outOfWarranty: '过保', ownLine: '本厂产线设备',
    printLabels: '打印二维码标签', selected: '已选 {n} 台', clearSelection: '清除选择',
    searchPlaceholder: '序列号 / 型号 / 位置', tooMany: '一次最多打印 {max} 张标签',
  },
  engineer: {
    name: '姓名', title: '职称', phone: '电话', region: '区域', homeBase: '常驻地', skills: '技能(机型)',
    cert: '认证', maxLoad: '最大负荷', orders: '工单', inactive: '停用', searchPlaceholder: '姓名 / 用户名 / 电话',
    skillPlaceholder: '技能,如 HR-E',
  },
  suspected: {
    hint: '完工后过快关单,或批量关单,均会被记录在此,请复核。', reasonCol: '原因', afterResolve: '完工到关单',
    closedBy: '关单人', detail: '说明', at: '记录时间', threshold: '阈值 {s} 秒',
    burst: '{s} 秒内连续关单 {n} 张', bulkEndpoint: '通过批量操作关单',
    reason: { fast_close: '完工后过快关单', bulk: '批量关单', other: '其他' },
  },
  sla: {
    column: 'SLA 时限', overdueOnly: '只看超时', title: 'SLA 时限', policy: '策略', none: '此工单未适用 SLA',
    response: '响应', resolution: '修复', responseDue: '响应时限', resolutionDue: '修复时限', dueAt: '截止 {at}',
    level: '升级级别', pausedNow: '计时已暂停', pausedFor: '累计暂停', customerTime: '客户感知时长',
    customerTimeHint: '从报修到客户签字确认', onBoard: '已上运营看板',
    status: { on_track: '正常', at_risk: '即将超时', breached: '已超时', paused: '已暂停', met: '已达成', none: '无时限' },
    levels: { l0: '未升级', l1: 'L1 通知负责人', l2: 'L2 主管介入', l3: 'L3 总监看板' },
  },
  board: {
    overdue: '超时工单', onBoard: '看板工单', lastRefresh: '最后刷新 {at}', autoRefresh: '每 30 秒自动刷新',
    since: '上榜 {span}', empty: '看板上没有工单:没有升级到 L3 或超时未派工的工单。', unassigned: '未派工',
    viewOverdue: '查看全部超时工单', reason: { escalated: '超时升级', undispatched: '超时未派工' },
  },
  slaAdmin: {
    policies: 'SLA 策略', rules: '匹配矩阵(客户等级 × 故障类型 × 优先级)', calendars: '工作日历', name: '名称',
    response: '响应时限', resolution: '修复时限', confirmation: '确认时限', calendar: '日历', isDefault: '默认',
    any: '任意', tier: '客户等级', faultType: '故障类型', priority: '优先级', policy: '策略', position: '顺序',
    timezone: '时区', hours: '工作时间', workdayHours: '调休上班日', publicHolidays: '法定节假日休息',
    alwaysOpen: '全天候 7×24', sameAsWeekday: '同工作日', yes: '是', no: '否', closed: '不上班',
    rulesHint: '最具体的规则优先;同样具体时按顺序。空格表示任意。', minutesHint: '时限按所用日历的工作时间计算。',
    holidayTitle: '节假日数据缺失',
  },
  bell: {
    title: '通知', empty: '暂无通知', readAll: '全部已读', todos: '我的待办', todosEmpty: '没有待办事项',
    done: '完成', doneOk: '待办已完成', unread: '{n} 条未读', notices: '通知',
  },
}
