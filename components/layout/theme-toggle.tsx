'use client';

import { useState } from 'react';
import { THEME_COOKIE, THEMES, type Theme } from '@/components/layout/theme';

/** System, light or dark: applied at once, and kept in a cookie so that the server renders the next page in it. */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState(initial);
  return (
    <select
      aria-label="Theme"
      value={theme}
      onChange={(event) => {
        const next = event.target.value as Theme;
        setTheme(next);
        const root = document.documentElement;
        root.classList.remove('light', 'dark');
        if (next !== 'system') root.classList.add(next);
        document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax${location.protocol === 'https:' ? '; secure' : ''}`;
      }}
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
