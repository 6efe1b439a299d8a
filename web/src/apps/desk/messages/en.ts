// Desk app strings, English. Same keys as zh-CN.ts (the type checker holds them together).
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  app: { name: 'Bihuan 闭环 Desk' },
  nav: {
    workOrders: 'Work orders', newOrder: 'New order', customers: 'Customers', devices: 'Devices',
    engineers: 'Engineers', suspected: 'Suspected fake completions', logout: 'Log out',
    board: 'Operations board', sla: 'SLA settings',
  },
  login: {
    title: 'Log in', subtitle: 'After-sales work orders: every fault closes the loop', username: 'Username',
    password: 'Password', submit: 'Log in',
  },
  common: {
    back: 'Back', cancel: 'Cancel', confirm: 'OK', save: 'Save', saved: 'Saved', delete: 'Delete', search: 'Search',
    reset: 'Clear filters', refresh: 'Refresh', open: 'Open', copy: 'Copy', copied: 'Copied', empty: 'Nothing here',
    notFound: 'Page not found', total: '{n} in all', totalAtLeast: 'at least {n}',
  },
  form: { required: 'Required', tooLong: 'At most {max} characters' },
  wo: {
    number: 'Number', title: 'Title', state: 'State', type: 'Type', priority: 'Priority', customer: 'Customer',
    assignee: 'Engineer', device: 'Device', reporter: 'Reported by', reporterPhone: 'Reporter phone',
    faultType: 'Fault type', description: 'Fault description', repairNote: 'Repair note', photos: 'Photos',
    details: 'Order details', timeline: 'Timeline', createdAt: 'Created', acceptedAt: 'Accepted',
    startedAt: 'Started', resolvedAt: 'Resolved', closedAt: 'Closed', updatedAt: 'Last update',
    heldFrom: 'Held from', externalRefs: 'External refs', createdFrom: 'Created from', createdTo: 'Created to',
    searchPlaceholder: 'Number / customer / device serial / phone',
    tracking: 'Customer tracking link', trackingHint: 'Give it to the customer: progress and confirmation, no login',
  },
  views: {
    placeholder: 'Saved views', save: 'Save view', saved: 'View saved', name: 'View name',
    share: 'Share with everyone who is "{role}"', sharedWith: 'shared: {role}',
  },
  actions: {
    none: 'No actions available now', done: '{action}: done', reason: 'Reason', engineer: 'Engineer',
    pickEngineer: 'Choose an engineer', skillMatch: 'skills match',
  },
  confirm: {
    button: 'Record confirmation', kind: 'Kind', customer: 'Customer confirmation', qa: 'QA verification',
    signedBy: 'Confirmed by (customer)', verifiedBy: 'Verified by', note: 'Note',
    notePlaceholder: 'e.g. phoned back; the customer confirms the machine runs normally',
    recorded: 'Confirmation recorded',
  },
  photos: { none: 'No photos', failed: 'Failed to load' },
  attachment: { kind: { photo: 'photo', video: 'video', signature: 'signature', file: 'file' } },
  timeline: {
    create: 'Order created', update: 'Order edited', reason: 'Reason', items: '{n} items', photosAdded: '{n} photo(s) added',
    confirmCustomer: 'Customer confirmed ({by})', confirmQa: 'QA verified ({by})',
    flag: 'Flagged as suspected fake completion: {why}', attachment: 'Uploaded a {kind}',
  },
  field: {
    type: 'Type', title: 'Title', description: 'Description', fault_type: 'Fault type', priority: 'Priority',
    customer_id: 'Customer', device_id: 'Device', reporter_name: 'Reported by', reporter_phone: 'Reporter phone',
    assignee_id: 'Engineer', state: 'State', repair_note: 'Repair note', photo_refs: 'Photos',
    external_refs: 'External refs', hold_from_state: 'Held from', accepted_at: 'Accepted', started_at: 'Started',
    resolved_at: 'Resolved', closed_at: 'Closed', number: 'Number', reporter_id: 'Entered by',
  },
  create: {
    submit: 'Create order', created: 'Order {number} created', contact: 'Contact',
    contacts: 'Contacts (click to use as reporter)', pickContact: 'Pick a contact to fill reporter and phone',
    useContact: 'Use as reporter', phonePlaceholder: 'mobile 13812345678 or landline 0755-88889999',
    pickDevice: "Choose one of the customer's devices", searchDevice: 'Search device serial or model',
    faultPlaceholder: 'e.g. spindle noise', history: 'Recent orders (fault history)', allOrders: 'all {n}',
    noHistory: 'No orders for this customer yet',
    pickCustomerHint: 'Choose the customer first: it brings service level, contacts, devices and fault history.',
  },
  customer: {
    code: 'Code', name: 'Name', tier: 'Tier', serviceLevel: 'Service level', region: 'Region', province: 'Province',
    city: 'City', address: 'Address', contract: 'Contract expires', contacts: 'Contacts', primary: 'Primary',
    primaryContact: 'Primary contact', contactName: 'Name', contactTitle: 'Title', addContact: 'Add contact',
    searchPlaceholder: 'Customer name or code', new: 'New customer', orders: 'Orders',
    serviceLevelHint: 'empty: the default of the tier',
  },
  device: {
    model: 'Model', serial: 'Serial no.', family: 'Family', location: 'Location', installedOn: 'Installed',
    warrantyUntil: 'Warranty until', inWarranty: 'In warranty', outOfWarranty: 'Out of warranty',
    ownLine: 'Own production line', printLabels: 'Print QR labels', selected: '{n} selected',
    clearSelection: 'Clear selection', searchPlaceholder: 'Serial / model / location',
    tooMany: 'At most {max} labels at a time',
  },
  engineer: {
    name: 'Name', title: 'Title', phone: 'Phone', region: 'Region', homeBase: 'Home base', skills: 'Skills (models)',
    cert: 'Cert.', maxLoad: 'Max load', orders: 'Orders', inactive: 'inactive',
    searchPlaceholder: 'Name / username / phone', skillPlaceholder: 'Skill, e.g. HR-E',
  },
  suspected: {
    hint: 'Closes that came too soon after the resolve, or in bulk, are recorded here for review.',
    reasonCol: 'Reason', afterResolve: 'Resolve → close', closedBy: 'Closed by', detail: 'Detail', at: 'Recorded',
    threshold: 'threshold {s} s', burst: '{n} closes within {s} s', bulkEndpoint: 'closed through a bulk action',
    reason: { fast_close: 'Closed too fast', bulk: 'Bulk close', other: 'Other' },
  },
  sla: {
    column: 'SLA', overdueOnly: 'Overdue only', title: 'SLA', policy: 'Policy', none: 'No SLA applies to this order',
    response: 'Response', resolution: 'Resolution', responseDue: 'Response due', resolutionDue: 'Resolution due',
    dueAt: 'due {at}', level: 'Escalation', pausedNow: 'Clock paused', pausedFor: 'Paused in all',
    customerTime: 'Customer-perceived time', customerTimeHint: 'from the report to the signed confirmation',
    onBoard: "On the operations board",
    status: { on_track: 'On track', at_risk: 'At risk', breached: 'Breached', paused: 'Paused', met: 'Met', none: 'No SLA' },
    levels: { l0: 'Not escalated', l1: 'L1 responsible notified', l2: 'L2 supervisor involved', l3: "L3 director's board" },
  },
  board: {
    overdue: 'Overdue orders', onBoard: 'On the board', lastRefresh: 'Last refresh {at}',
    autoRefresh: 'refreshes every 30 s', since: 'on board {span}',
    empty: 'Nothing on the board: no order escalated to L3 or left undispatched.', unassigned: 'Not dispatched',
    viewOverdue: 'All overdue orders', reason: { escalated: 'Escalated', undispatched: 'Not dispatched in time' },
  },
  slaAdmin: {
    policies: 'SLA policies', rules: 'Matrix (tier × fault type × priority)', calendars: 'Business calendars',
    name: 'Name', response: 'Response', resolution: 'Resolution', confirmation: 'Confirmation', calendar: 'Calendar',
    isDefault: 'Default', any: 'any', tier: 'Tier', faultType: 'Fault type', priority: 'Priority', policy: 'Policy',
    position: 'Order', timezone: 'Time zone', hours: 'Working hours', workdayHours: 'Make-up workdays',
    publicHolidays: 'Public holidays off', alwaysOpen: 'Always open (24×7)', sameAsWeekday: 'as weekdays',
    yes: 'Yes', no: 'No', closed: 'closed',
    rulesHint: 'The most specific rule wins; ties go by order. Empty cells match anything.',
    minutesHint: "Targets count working time in the policy's calendar.", holidayTitle: 'Holiday data missing',
  },
  bell: {
    title: 'Notifications', empty: 'No notifications', readAll: 'Mark all read', todos: 'My to-dos',
    todosEmpty: 'Nothing to do', done: 'Done', doneOk: 'To-do done', unread: '{n} unread', notices: 'Notifications',
  },
}

export default en
