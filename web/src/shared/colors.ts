// The API names colours ("blue", "grey"…); this maps the names onto one soft palette so that
// tags read well on white. Unknown names pass through as CSS colours.
const PALETTE: Record<string, string> = {
  red: '#d93026',
  orange: '#e6740b',
  yellow: '#b88a00',
  green: '#1e8e3e',
  cyan: '#0f8b9c',
  blue: '#1a73e8',
  purple: '#7b3fd0',
  grey: '#6b7280',
  gray: '#6b7280',
}

export function cssColor(name: string | null | undefined): string {
  if (!name) return PALETTE.grey
  return PALETTE[name] ?? name
}

/** Inline style for a tag: coloured text and border on a light tint of the same colour. */
export function tagStyle(name: string | null | undefined): Record<string, string> {
  const c = cssColor(name)
  const tint = c.startsWith('#') && c.length === 7 ? `${c}14` : 'transparent'
  const border = c.startsWith('#') && c.length === 7 ? `${c}66` : c
  return { color: c, backgroundColor: tint, borderColor: border }
}
