// The few files the local server serves itself, beside the API: the browser client at `/` and the
// API reference at `/docs` (swagger-ui, from the npm package, so nothing comes from a CDN). Read
// once at start-up into memory: a fixed list of paths, so no request can name another file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

export type StaticSite = ReadonlyMap<string, StaticFile>;

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** Only what `web/` and swagger-ui's page need: pages are scripts from this origin, styles and images too. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** The site from `webRoot` (the repository's web/ folder) and the installed swagger-ui-dist. */
export function loadStaticSite(webRoot: string): StaticSite {
  const swaggerUi = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const site = new Map<string, StaticFile>();
  const add = (path: string, file: string) => {
    const extension = file.slice(file.lastIndexOf('.') + 1);
    site.set(path, { body: readFileSync(file), contentType: TYPES[extension] ?? 'application/octet-stream' });
  };
  add('/', join(webRoot, 'index.html'));
  add('/app.js', join(webRoot, 'app.js'));
  add('/app.css', join(webRoot, 'app.css'));
  add('/docs', join(webRoot, 'docs', 'index.html'));
  add('/docs/init.js', join(webRoot, 'docs', 'init.js'));
  add('/docs/swagger-ui.css', join(swaggerUi, 'swagger-ui.css'));
  add('/docs/swagger-ui-bundle.js', join(swaggerUi, 'swagger-ui-bundle.js'));
  return site;
}
