'use client';

import { useSyncExternalStore } from 'react';
import { THEME_COOKIE, THEMES, type Theme } from '@/components/layout/theme';

// The theme chosen in this page's life, shared by every toggle on it (the nav has one for wide screens and
// one in the phone menu): choosing in one shows in the other.
let chosen: Theme | null = null;
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

function choose(next: Theme) {
  chosen = next;
  const root = document.documentElement;
  root.classList.remove('light', 'dark');
  if (next !== 'system') root.classList.add(next);
  document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax${location.protocol === 'https:' ? '; secure' : ''}`;
  for (const listener of listeners) listener();
}

/** System, light or dark: applied at once, and kept in a cookie so that the server renders the next page in it. */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const theme = useSyncExternalStore(
    subscribe,
    () => chosen ?? initial,
    () => initial,
  );
  return (
    <select
      aria-label="Theme"
      value={theme}
      onChange={(event) => choose(event.target.value as Theme)}
      className="rounded-md border border-slate-300 bg-white px-1.5 py-0.5 text-xs text-slate-700"
    >
      {THEMES.map((t) => (
        <option key={t} value={t}>
          {t === 'system' ? 'System theme' : t === 'light' ? 'Light' : 'Dark'}
        </option>
      ))}
    </select>
  );
}
