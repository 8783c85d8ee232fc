// The few files the local server serves itself, beside the API: the browser client at `/` and the
// API reference at `/docs` (swagger-ui, from the npm package, so nothing comes from a CDN). Read
// once at start-up into memory: a fixed list of paths, so no request can name another file.
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly contentSecurityPolicy: string;
}

export type StaticSite = ReadonlyMap<string, StaticFile>;

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** One policy for every page, but for where styles may come from: so a tightening reaches both. */
const contentSecurityPolicy = (styleSrc: string): string =>
  `default-src 'self'; script-src 'self'; style-src ${styleSrc}; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`;

/** The browser client: scripts, styles and connections to this origin only; no inline anything. */
export const APP_CONTENT_SECURITY_POLICY = contentSecurityPolicy("'self'");

/** The API reference: swagger-ui sets inline styles as it renders, so only it gets 'unsafe-inline' for styles. */
export const DOCS_CONTENT_SECURITY_POLICY = contentSecurityPolicy("'self' 'unsafe-inline'");

/** The site from `webRoot` (the repository's web/ folder) and the installed swagger-ui-dist. */
export function loadStaticSite(webRoot: string): StaticSite {
  const swaggerUi = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const site = new Map<string, StaticFile>();
  const add = (path: string, file: string, contentSecurityPolicy: string) => {
    const extension = file.slice(file.lastIndexOf('.') + 1);
    site.set(path, { body: readFileSync(file), contentType: TYPES[extension] ?? 'application/octet-stream', contentSecurityPolicy });
  };
  add('/', join(webRoot, 'index.html'), APP_CONTENT_SECURITY_POLICY);
  add('/app.js', join(webRoot, 'app.js'), APP_CONTENT_SECURITY_POLICY);
  add('/app.css', join(webRoot, 'app.css'), APP_CONTENT_SECURITY_POLICY);
  add('/docs', join(webRoot, 'docs', 'index.html'), DOCS_CONTENT_SECURITY_POLICY);
  add('/docs/init.js', join(webRoot, 'docs', 'init.js'), DOCS_CONTENT_SECURITY_POLICY);
  add('/docs/swagger-ui.css', join(swaggerUi, 'swagger-ui.css'), DOCS_CONTENT_SECURITY_POLICY);
  add('/docs/swagger-ui-bundle.js', join(swaggerUi, 'swagger-ui-bundle.js'), DOCS_CONTENT_SECURITY_POLICY);
  return site;
}

/** Writes `file` as the answer to a GET or HEAD, with the headers a page of this origin needs. */
export function serveFile(req: http.IncomingMessage, res: http.ServerResponse, file: StaticFile): void {
  res.writeHead(200, {
    'Content-Type': file.contentType,
    'Content-Length': file.body.length,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': file.contentSecurityPolicy,
    // frame-ancestors covers browsers with CSP level 2; this, the older ones.
    'X-Frame-Options': 'DENY',
    // The client's URLs can hold nothing secret, but nothing about them need leave either.
    'Referrer-Policy': 'no-referrer',
  });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}
