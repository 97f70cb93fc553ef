// A real nginx (Debian's package) in front of a test server, as an operator would
// run it: its own folder for every file it writes, in the foreground as the test's
// child, on a free port. The configuration is the one docs and the README show.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort, waitUntil } from './server-process'

export type Nginx = { base: string; dir: string; stop: () => Promise<void> }

const NGINX = '/usr/sbin/nginx'

export function nginxConfig(dir: string, port: number, upstream: string): string {
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
  client_max_body_size 64k;
  upstream app { server ${new URL(upstream).host}; keepalive 16; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`
}

/** Starts nginx in front of `upstream` (http://host:port); retries on another port if its port was taken meanwhile. */
export async function startNginx(upstream: string): Promise<Nginx> {
  if (!fs.existsSync(NGINX)) throw new Error(`${NGINX} is missing: apt-get install nginx`)
  for (let attempt = 1; ; attempt++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-nginx-'))
    const port = await freePort()
    fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig(dir, port, upstream))
    const child: ChildProcess = spawn(NGINX, ['-e', path.join(dir, 'error.log'), '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' })
    let exited = false
    child.once('exit', () => (exited = true))
    const base = `http://127.0.0.1:${port}`
    try {
      await waitUntil(
        async () => {
          if (exited) throw new Error(`nginx exited: ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`)
          return fetch(`${base}/healthz`).then((r) => r.ok, () => false)
        },
        15_000,
        () => `nginx did not answer: ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`,
      )
    } catch (error) {
      child.kill('SIGKILL')
      if (attempt < 3 && String(error).includes('Address already in use')) continue
      throw error
    }
    return {
      base,
      dir,
      stop: async () => {
        if (!exited) {
          const gone = new Promise((resolve) => child.once('exit', resolve))
          child.kill('SIGQUIT')
          await gone
        }
        fs.rmSync(dir, { recursive: true, force: true })
      },
    }
  }
}
