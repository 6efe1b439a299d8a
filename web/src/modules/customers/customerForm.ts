// The customer form: a draft built from CustomerOut, checked field by field (keys are the
// server's field paths, e.g. "contacts.0.phone", so 422 details land in the same places).
import type { Schemas } from '@/api/client'
import { checkPhone } from '@/shared/phone'
import { pick } from '@/shared/locale'

export interface ContactDraft {
  name: string
  phone: string
  title: string
  is_primary: boolean
}

export interface CustomerDraft {
  code: string
  name: string
  tier: Schemas['Tier']
  service_level: string
  province: string
  city: string
  address: string
  contract_expires_on: string
  contacts: ContactDraft[]
}

export function emptyCustomer(): CustomerDraft {
  return {
    code: '', name: '', tier: 'standard', service_level: '', province: '', city: '', address: '',
    contract_expires_on: '', contacts: [],
  }
}

export function draftFromCustomer(c: Schemas['CustomerOut']): CustomerDraft {
  return {
    code: c.code, name: c.name, tier: c.tier, service_level: c.service_level, province: c.province,
    city: c.city, address: c.address ?? '', contract_expires_on: c.contract_expires_on ?? '',
    contacts: c.contacts.map((x) => ({ name: x.name, phone: x.phone, title: x.title ?? '', is_primary: x.is_primary })),
  }
}

export function validateCustomer(d: CustomerDraft, locale: string, required: string, isNew: boolean):
  Record<string, string> {
  const e: Record<string, string> = {}
  if (isNew && !d.code.trim()) e.code = required
  for (const f of ['name', 'province', 'city'] as const) if (!d[f].trim()) e[f] = required
  d.contacts.forEach((c, i) => {
    if (!c.name.trim()) e[`contacts.${i}.name`] = required
    const p = checkPhone(c.phone)
    if (p) e[`contacts.${i}.phone`] = pick(p.message, locale)
  })
  return e
}

function contacts(d: CustomerDraft): Schemas['ContactIn'][] {
  return d.contacts.map((c) => ({
    name: c.name.trim(), phone: c.phone.trim(), title: c.title.trim() || null, is_primary: c.is_primary,
  }))
}

export function toCreate(d: CustomerDraft): Schemas['CustomerCreate'] {
  return {
    code: d.code.trim(), name: d.name.trim(), tier: d.tier, service_level: d.service_level.trim() || null,
    province: d.province.trim(), city: d.city.trim(), address: d.address.trim() || null,
    contract_expires_on: d.contract_expires_on || null, contacts: contacts(d),
  }
}

export function toUpdate(d: CustomerDraft): Schemas['CustomerUpdate'] {
  const { code: _code, service_level, ...rest } = toCreate(d)
  // service_level may not be null on update: leave it out to keep the stored one
  return service_level ? { ...rest, service_level } : rest
}
