import 'server-only'
import { headers } from 'next/headers'
import type { ClientInfo } from '@/lib/auth/client-info'

export async function clientInfo(): Promise<ClientInfo> {
  const h = await headers()
  return {
    userAgent: h.get('user-agent') ?? undefined,
    ip: h.get('x-forwarded-for')?.split(',')[0]?.trim() || h.get('x-real-ip') || undefined,
  }
}
