/**
 * The demo CAS site on localhost: the registration form, the "sign with token" demo and, for the SDK,
 * `dist/sdk/`. Binds to 127.0.0.1 only. Extra routes (server-side signature checks) plug in as handlers.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.pdf': 'application/pdf',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.d.ts': 'text/plain; charset=utf-8',
};

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

export interface DemoServerOptions {
  /** URL prefix → folder, e.g. `{ '/': 'demo/site', '/sdk/': 'dist/sdk' }`. */
  mounts: Record<string, string>;
  routes?: RouteHandler[];
  port?: number;
}

export interface RunningDemoServer {
  server: Server;
  origin: string;
  close(): Promise<void>;
}

export async function startDemoServer(options: DemoServerOptions): Promise<RunningDemoServer> {
  const mounts = Object.entries(options.mounts)
    .map(([prefix, folder]) => [prefix, resolve(folder)] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const server = createServer((request, response) => {
    void handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Internal error');
    });
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for (const route of options.routes ?? []) if (await route(request, response)) return;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    for (const [prefix, folder] of mounts) {
      if (!path.startsWith(prefix)) continue;
      let file = normalize(join(folder, path.slice(prefix.length)));
      if (file !== folder && !file.startsWith(folder + sep)) break; // no escaping the mount
      const info = await stat(file).catch(() => undefined);
      if (info?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file).catch(() => undefined);
      if (!body) break;
      const type = file.endsWith('.d.ts') ? CONTENT_TYPES['.d.ts']! : (CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('Not found');
  }
  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections(); // a browser that is still open keeps idle keep-alive sockets
      }),
  };
}
