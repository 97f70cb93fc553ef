// A real nginx (Debian's package) in front of test servers, as an operator runs it: the
// site file is deploy/nginx.conf, the one the README shows, with its ${FC_...} values
// filled in as envsubst would; around it only what a test machine needs (its own folder
// for every file nginx writes, the foreground, one worker). TLS with a self-signed
// certificate made by openssl for 127.0.0.1.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'
import { shareFileText } from '@/lib/release/share'
import { root, waitUntil } from './server-process'

export const NGINX = '/usr/sbin/nginx'
export const SITE_FILE = path.join(root, 'deploy/nginx.conf')

export type SiteValues = {
  FC_LISTEN: string
  FC_SERVER_NAME: string
  FC_TLS_CERT: string
  FC_TLS_KEY: string
  FC_APP_1: string
  FC_APP_2: string
  FC_NEW_APP_1: string
  FC_NEW_APP_2: string
  FC_GRPC_LISTEN: string
  FC_GRPC_1: string
  FC_GRPC_2: string
  FC_NEW_GRPC_1: string
  FC_NEW_GRPC_2: string
  FC_RELEASE_SHARE_FILE: string
  FC_ACCESS_LOG: string
}

/**
 * The site file with its values filled in. Like `envsubst '${FC_LISTEN} …'`, only the named
 * variables are replaced; every one must appear, and none may be left over.
 */
export function renderSite(template: string, values: SiteValues): string {
  let text = template
  for (const [name, value] of Object.entries(values)) {
    const placeholder = `\${${name}}`
    if (!text.includes(placeholder)) throw new Error(`${SITE_FILE} has no ${placeholder}`)
    text = text.replaceAll(placeholder, value)
  }
  const left = /\$\{FC_[A-Z0-9_]+\}/.exec(text)
  if (left) throw new Error(`${SITE_FILE}: ${left[0]} is not filled in`)
  return text
}

/** The main configuration a test runs: everything nginx writes stays in `dir`; the site is included as Debian includes sites-enabled. */
function mainConfig(dir: string, site: string): string {
  return `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_processes 1;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${site};
}
`
}

export type Certificate = { cert: string; key: string }

/** A self-signed certificate for 127.0.0.1 (its own authority: NODE_EXTRA_CA_CERTS may name it). */
export function selfSignedCertificate(dir: string): Certificate {
  const cert = path.join(dir, 'cert.pem')
  const key = path.join(dir, 'key.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' })
  return { cert, key }
}

export type HttpsAnswer = { status: number; headers: Record<string, string | string[] | undefined>; text: string }

/** One HTTPS request that trusts `ca` (and nothing else self-signed); `localAddress` picks the client's loopback address. */
export function httpsRequest(
  url: string,
  options: { ca: string; method?: string; headers?: Record<string, string>; body?: string; localAddress?: string },
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, ca: fs.readFileSync(options.ca), localAddress: options.localAddress, agent: false, timeout: 30_000 },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer in 30 s`)))
    req.on('error', reject)
    req.end(options.body)
  })
}

export class NginxPortTaken extends Error {}

export type Nginx = {
  base: string
  grpcAddress: string
  dir: string
  /** the share file and the arguments that name this nginx, as `npm run release:share` takes them */
  releaseShareEnv: { FC_RELEASE_SHARE_FILE: string; NGINX: string; NGINX_ARGS: string }
  stop: () => Promise<void>
}

/**
 * Starts nginx with the site file on 127.0.0.1:`port` (and `grpcPort` for gRPC) in front of
 * the two instances of the release in service (`upstreams`: http://host:port each;
 * `grpcUpstreams`: their gRPC ports) and those of a new release (`newUpstreams`,
 * `newGrpcUpstreams`; by default the same ones) with `share` percent of users on the new
 * one (default 0), and waits until it answers /healthz over TLS. Throws NginxPortTaken when a port was taken
 * meanwhile; on any failure nothing is left running.
 */
export async function startNginx(options: {
  port: number
  grpcPort: number
  upstreams: [string, string]
  grpcUpstreams: [number, number]
  newUpstreams?: [string, string]
  newGrpcUpstreams?: [number, number]
  share?: number
  certificate: Certificate
}): Promise<Nginx> {
  const newUpstreams = options.newUpstreams ?? options.upstreams
  const newGrpcUpstreams = options.newGrpcUpstreams ?? options.grpcUpstreams
  if (!fs.existsSync(NGINX)) throw new Error(`${NGINX} is missing: apt-get install nginx`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-nginx-'))
  const site = path.join(dir, 'fcdeduction.conf')
  const shareFile = path.join(dir, 'release-share.conf')
  fs.writeFileSync(shareFile, shareFileText(options.share ?? 0))
  fs.writeFileSync(
    site,
    renderSite(fs.readFileSync(SITE_FILE, 'utf8'), {
      FC_LISTEN: `127.0.0.1:${options.port}`,
      FC_SERVER_NAME: '127.0.0.1',
      FC_TLS_CERT: options.certificate.cert,
      FC_TLS_KEY: options.certificate.key,
      FC_APP_1: new URL(options.upstreams[0]).host,
      FC_APP_2: new URL(options.upstreams[1]).host,
      FC_NEW_APP_1: new URL(newUpstreams[0]).host,
      FC_NEW_APP_2: new URL(newUpstreams[1]).host,
      FC_GRPC_LISTEN: `127.0.0.1:${options.grpcPort}`,
      FC_GRPC_1: `127.0.0.1:${options.grpcUpstreams[0]}`,
      FC_GRPC_2: `127.0.0.1:${options.grpcUpstreams[1]}`,
      FC_NEW_GRPC_1: `127.0.0.1:${newGrpcUpstreams[0]}`,
      FC_NEW_GRPC_2: `127.0.0.1:${newGrpcUpstreams[1]}`,
      FC_RELEASE_SHARE_FILE: shareFile,
      FC_ACCESS_LOG: path.join(dir, 'access.log'),
    }),
  )
  fs.writeFileSync(path.join(dir, 'nginx.conf'), mainConfig(dir, site))
  const log = () => fs.readFileSync(path.join(dir, 'error.log'), 'utf8')
  const child: ChildProcess = spawn(NGINX, ['-e', path.join(dir, 'error.log'), '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' })
  let exited = false
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // should the test's process end without stopping it (an uncaught error), nginx goes too
  const orphanGuard = () => {
    child.kill('SIGKILL')
    fs.rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', orphanGuard)
  child.once('exit', () => {
    exited = true
    process.off('exit', orphanGuard)
  })
  const stop = async () => {
    if (!exited) {
      // SIGQUIT: a graceful stop, open connections finish first
      child.kill('SIGQUIT')
      await gone
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const base = `https://127.0.0.1:${options.port}`
  try {
    await waitUntil(
      async () => {
        if (exited) throw (log().includes('Address already in use') ? new NginxPortTaken(log()) : new Error(`nginx exited: ${log()}`))
        return httpsRequest(`${base}/healthz`, { ca: options.certificate.cert }).then((r) => r.status === 200, () => false)
      },
      15_000,
      () => `nginx did not answer: ${log()}`,
    )
  } catch (error) {
    if (!exited) child.kill('SIGKILL')
    await gone
    fs.rmSync(dir, { recursive: true, force: true })
    throw error
  }
  const releaseShareEnv = { FC_RELEASE_SHARE_FILE: shareFile, NGINX, NGINX_ARGS: `-e ${path.join(dir, 'error.log')} -p ${dir} -c ${path.join(dir, 'nginx.conf')}` }
  return { base, grpcAddress: `127.0.0.1:${options.grpcPort}`, dir, releaseShareEnv, stop }
}
