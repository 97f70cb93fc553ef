// A request whose path goes out exactly as written: fetch (and the URL class) would
// resolve dot segments and backslashes before sending, node:http does not.
import http from 'node:http'

/** One request with the path exactly as written; resolves with the status and the start of the body. */
export function rawPathRequest(base: string, method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path, agent: false, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: text.slice(0, 300) }))
    })
    req.on('error', reject)
    req.end(body)
  })
}
