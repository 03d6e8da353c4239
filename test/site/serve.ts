// A static server for the built site, as `vitepress preview` would serve it (clean URLs), on a free port.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain',
  '.ipynb': 'application/json',
  '.csv': 'text/csv',
};

function resolveFile(dist: string, url: string): string | null {
  const path = normalize(decodeURIComponent(url.split(/[?#]/)[0])).replace(/^(\.\.[/\\])+/, '');
  const candidates = [join(dist, path), join(dist, `${path}.html`), join(dist, path, 'index.html')];
  return candidates.find((c) => c.startsWith(dist) && existsSync(c) && statSync(c).isFile()) ?? null;
}

export function serve(dist: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const file = resolveFile(dist, req.url ?? '/');
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end(existsSync(join(dist, '404.html')) ? readFileSync(join(dist, '404.html')) : 'not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      done({ server, origin: `http://127.0.0.1:${port}` });
    }),
  );
}
