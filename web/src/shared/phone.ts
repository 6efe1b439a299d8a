// Live check of a Chinese phone number, the same rules the server applies: a mobile
// (11 digits, 13–19…) or a landline with its area code (0755-88889999, 010-12345678).
import type { LocalizedText } from './locale'

const MOBILE = /^1[3-9]\d{9}$/
const LANDLINE = /^0\d{2,3}-\d{7,8}(-\d{1,6})?$/

export interface PhoneProblem {
  code: string
  message: LocalizedText
}

const EX_ZH = '示例:0755-88889999 或 13812345678'
const EX_EN = 'e.g. 0755-88889999 or 13812345678'

function problem(code: string, zh: string, en: string): PhoneProblem {
  return { code, message: { 'zh-CN': zh, en } }
}

/** null when `raw` is an acceptable phone number, else what is wrong (with an example). */
export function checkPhone(raw: string | null | undefined): PhoneProblem | null {
  const v = (raw ?? '').replace(/[\s()()]/g, '').replace(/^\+?86-?/, '')
  if (!v) return problem('phone_required', `请填写电话,${EX_ZH}`, `Phone number is required, ${EX_EN}`)
  if (!/^[\d-]+$/.test(v)) {
    return problem('phone_chars', `电话只能包含数字和“-”,${EX_ZH}`,
      `Phone may contain only digits and '-', ${EX_EN}`)
  }
  const digits = v.replace(/-/g, '')
  if (MOBILE.test(digits)) return null
  if (digits.startsWith('1') && digits.length === 11) {
    return problem('phone_mobile_prefix', '手机号第二位应为3–9,示例:13812345678',
      'A mobile number starts 13–19, e.g. 13812345678')
  }
  if (digits.startsWith('1')) {
    return problem('phone_mobile_length', `手机号应为11位(当前${digits.length}位),示例:13812345678`,
      `A mobile number has 11 digits (got ${digits.length}), e.g. 13812345678`)
  }
  if (!digits.startsWith('0') && (digits.length === 7 || digits.length === 8)) {
    return problem('phone_area_code', '客户电话需含区号,示例:0755-88889999',
      'Phone needs an area code, e.g. 0755-88889999')
  }
  if (LANDLINE.test(v)) return null
  if (digits.startsWith('0') && digits.length >= 10 && digits.length <= 12 && !v.includes('-')) {
    for (const area of [3, 4]) {
      const local = digits.length - area
      if ((local === 7 || local === 8) && (area === 3) === '12'.includes(digits[1])) return null
    }
  }
  return problem('phone_format', `电话格式不正确,${EX_ZH}`, `Phone number is not valid, ${EX_EN}`)
}
