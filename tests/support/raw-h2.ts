// A bare HTTP/2 client over a TCP socket, for tests that must break the rules a
// real client keeps: node:http2 itself holds back streams over the server's
// SETTINGS_MAX_CONCURRENT_STREAMS, so only raw frames show what the server does
// with a client that ignores them. It writes frames and records those it reads.
import net from 'node:net'

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')
export const FRAME = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7 } as const
const END_STREAM = 0x1
const END_HEADERS = 0x4
const ACK = 0x1

export type Frame = { type: number; flags: number; streamId: number; payload: Buffer }

export type RawH2 = {
  /** every frame the server sent so far, in order */
  frames: Frame[]
  closed: () => boolean
  /** opens a stream with the request's headers; its END_STREAM is left unset unless asked for */
  headers: (streamId: number, headers: [string, string][], endStream?: boolean) => void
  data: (streamId: number, payload: Buffer, endStream?: boolean) => void
  destroy: () => void
}

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9)
  head.writeUIntBE(payload.length, 0, 3)
  head.writeUInt8(type, 3)
  head.writeUInt8(flags, 4)
  head.writeUInt32BE(streamId & 0x7fffffff, 5)
  return Buffer.concat([head, payload])
}

/** HPACK: every field a literal without indexing, names and values as plain octets (each under 127 bytes). */
function headerBlock(headers: [string, string][]): Buffer {
  const parts = headers.flatMap(([name, value]) => {
    const n = Buffer.from(name)
    const v = Buffer.from(value)
    return [Buffer.from([0x00, n.length]), n, Buffer.from([v.length]), v]
  })
  return Buffer.concat(parts)
}

/** Connects, sends the preface and empty SETTINGS, and acknowledges the server's; resolves once the server's SETTINGS came. */
export function connectRaw(port: number, localAddress?: string): Promise<RawH2> {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress })
  const frames: Frame[] = []
  let buffered = Buffer.alloc(0)
  let closed = false
  const client: RawH2 = {
    frames,
    closed: () => closed,
    headers: (streamId, headers, endStream = false) =>
      void socket.write(frame(FRAME.HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, headerBlock(headers))),
    data: (streamId, payload, endStream = false) => void socket.write(frame(FRAME.DATA, endStream ? END_STREAM : 0, streamId, payload)),
    destroy: () => socket.destroy(),
  }
  return new Promise((resolve, reject) => {
    socket.on('error', (error) => (closed ? undefined : reject(error)))
    socket.on('close', () => (closed = true))
    socket.on('connect', () => socket.write(Buffer.concat([PREFACE, frame(FRAME.SETTINGS, 0, 0, Buffer.alloc(0))])))
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      while (buffered.length >= 9) {
        const length = buffered.readUIntBE(0, 3)
        if (buffered.length < 9 + length) break
        const received: Frame = {
          type: buffered.readUInt8(3),
          flags: buffered.readUInt8(4),
          streamId: buffered.readUInt32BE(5) & 0x7fffffff,
          payload: buffered.subarray(9, 9 + length),
        }
        buffered = buffered.subarray(9 + length)
        frames.push(received)
        if (received.type === FRAME.SETTINGS && !(received.flags & ACK)) {
          socket.write(frame(FRAME.SETTINGS, ACK, 0, Buffer.alloc(0)))
          resolve(client)
        }
      }
    })
  })
}

/** The error code of an RST_STREAM or GOAWAY frame. */
export function errorCode(received: Frame): number {
  return received.type === FRAME.GOAWAY ? received.payload.readUInt32BE(4) : received.payload.readUInt32BE(0)
}

/** The last stream id a GOAWAY says the server took. */
export function lastStreamId(received: Frame): number {
  return received.payload.readUInt32BE(0) & 0x7fffffff
}
