import NextAuth from 'next-auth'
import { authOptions } from '@/lib/auth/next-auth'

// options are built per request: configuration is read at run time, never at build time
const handler = (request: Request, context: { params: Promise<{ nextauth: string[] }> }) =>
  NextAuth(authOptions())(request, context)

export { handler as GET, handler as POST }
