import { config } from '@/lib/config'

/**
 * Whether a merchant may register an http:// loopback origin (localhost,
 * 127.0.0.1, [::1]) as a place its sign requests send the browser back to. Only on
 * a demo deployment: everywhere else a return origin is https. The one place that
 * decides it.
 */
export function allowsLoopbackReturnOrigins(): boolean {
  return config().demoMode
}
