// Toasts for the desk pages, in the current language (Element Plus stays inside the desk app).
import { ElMessage } from 'element-plus'
import { errorText } from '@/shared/errors'
import { currentLocale } from './i18n'

export function notifyError(err: unknown): void {
  ElMessage({ type: 'error', message: errorText(err, currentLocale()), showClose: true, duration: 6000 })
}

export function notifySuccess(message: string): void {
  ElMessage({ type: 'success', message })
}
