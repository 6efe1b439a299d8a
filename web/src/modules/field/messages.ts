// The engineer app's own words (states, actions and blocking reasons come from the API).
export default {
  'zh-CN': {
    app: '闭环工程师',
    loading: '加载中…',
    retry: '重试',
    network: '网络不通,请稍后重试',
    tooFast: '操作太频繁,请 {s} 秒后再试',
    login: { title: '工程师登录', username: '用户名', password: '密码', submit: '登录', required: '请填写用户名和密码' },
    orders: { title: '我的工单', todo: '待接单', doing: '处理中', confirm: '待确认', empty: '暂无工单', logout: '退出登录', logoutAsk: '确定退出登录?' },
    order: {
      customer: '客户', device: '设备', fault: '故障', reporter: '报修人', call: '拨打', created: '报修时间',
      details: '工单详情', history: '设备历史', noHistory: '此设备没有其他工单', more: '更多操作',
      description: '问题描述', note: '维修说明', notePh: '做了什么、换了什么、测试结果', photos: '维修照片',
      saveNote: '保存说明', saved: '已保存', uploading: '上传中…', uploaded: '照片已上传',
      required: '完工前需要', done: '已提交', reason: '原因', reasonPh: '请填写原因', send: '提交',
      awaiting: '已完工,等待客户确认。', signOnsite: '请客户现场签字', noCode: '此工单没有客户进度码,请联系客服确认。',
      conflict: '工单已被他人更新,已刷新', back: '返回',
    },
  },
  en: {
    app: 'Bihuan Engineer',
    loading: 'Loading…',
    retry: 'Retry',
    network: 'Network problem, please try again',
    tooFast: 'Too many tries, please wait {s} s',
    login: { title: 'Engineer sign-in', username: 'Username', password: 'Password', submit: 'Sign in', required: 'Enter username and password' },
    orders: { title: 'My orders', todo: 'To accept', doing: 'In progress', confirm: 'To confirm', empty: 'No orders', logout: 'Sign out', logoutAsk: 'Sign out now?' },
    order: {
      customer: 'Customer', device: 'Device', fault: 'Fault', reporter: 'Reporter', call: 'Call', created: 'Reported',
      details: 'Details', history: 'Device history', noHistory: 'No other orders on this device', more: 'More actions',
      description: 'Description', note: 'Repair note', notePh: 'What was done, parts replaced, test result', photos: 'Repair photos',
      saveNote: 'Save note', saved: 'Saved', uploading: 'Uploading…', uploaded: 'Photo uploaded',
      required: 'Needed before resolving', done: 'Done', reason: 'Reason', reasonPh: 'Please give a reason', send: 'Submit',
      awaiting: 'Resolved, waiting for the customer to confirm.', signOnsite: 'Customer signs on site', noCode: 'This order has no customer tracking code; ask the desk.',
      conflict: 'Someone else changed this order; reloaded', back: 'Back',
    },
  },
}
