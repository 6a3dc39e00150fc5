// Every page, route handler and server action of the app, found in app/ and in the build: the attack tests
// try each, so a new one is covered without being listed anywhere.
import fs from 'node:fs';
import path from 'node:path';

/** An app/ folder path as a URL: route groups dropped, dynamic segments filled with `x1`. */
function urlOf(segments: string[]): string {
  return (
    '/' +
    segments
      .filter((s) => s && !/^\(.*\)$/.test(s))
      .map((s) => (s.startsWith('[') ? 'x1' : s))
      .join('/')
  );
}

export type RouteEntry = { path: string; methods: string[] };

export function appEntries(): { pages: string[]; routes: RouteEntry[] } {
  const pages: string[] = [];
  const routes: RouteEntry[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      const url = urlOf(path.relative('app', dir).split(path.sep));
      if (entry.name === 'page.tsx') pages.push(url);
      if (entry.name === 'route.ts')
        routes.push({ path: url, methods: [...fs.readFileSync(full, 'utf8').matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]) });
    }
  };
  walk('app');
  return { pages, routes };
}

/** The requests that change something or hand out an archive: every non-GET route, and the archive download. */
export function writesAndDownloads(): { method: string; path: string }[] {
  return appEntries().routes.flatMap((r) => r.methods.filter((m) => m !== 'GET' || r.path.endsWith('/archive')).map((method) => ({ method, path: r.path })));
}

export type ActionEntry = { id: string; name: string; file: string; page: string };

/** Every server action of the test build, with a page that serves it. */
export function serverActions(): ActionEntry[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(process.env.LIFEBOAT_DIST_DIR ?? '.next', 'server/server-reference-manifest.json'), 'utf8'));
  return Object.entries(manifest.node as Record<string, { workers: Record<string, unknown>; exportedName: string; filename: string }>).map(([id, action]) => ({
    id,
    name: action.exportedName,
    file: action.filename,
    page: urlOf(
      Object.keys(action.workers)[0]
        .replace(/^app\//, '')
        .replace(/\/?page$/, '')
        .split('/'),
    ),
  }));
}

/** Calls a server action as the browser's JavaScript does, with `cookie`; the response's text (its RSC payload). */
export function callAction(action: ActionEntry, cookie: string, origin: string) {
  return { headers: { 'Next-Action': action.id, Origin: origin, Cookie: cookie, 'Content-Type': 'text/plain;charset=UTF-8' }, data: '[null,{}]', maxRedirects: 0 };
}
