/** de_ar.properties holds JSON: {"properties": ["开通账号", "扣款方式"]}; anything else is shown as one term. */
export function arrangementProperties(raw: string | null): string[] {
  if (!raw) return []
  try {
    const parsed: unknown = JSON.parse(raw)
    const list = (parsed as { properties?: unknown })?.properties ?? parsed
    if (Array.isArray(list)) return list.filter((p): p is string => typeof p === 'string')
  } catch {
    // not JSON: fall through
  }
  return raw.split(/[,，]/).map((s) => s.trim()).filter(Boolean)
}
