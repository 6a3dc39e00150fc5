import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { connection } from 'next/server';
import { THEME_COOKIE, themeOf } from '@/components/layout/theme';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Lifeboat', template: '%s · Lifeboat' },
  description: 'Backup and disaster recovery for Docker UCP clusters',
  icons: { icon: '/favicon.svg' },
  manifest: '/manifest.webmanifest',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, so that Next.js can put proxy.ts's CSP nonce on its scripts.
  await connection();
  // A saved theme is rendered by the server: no script runs before the page paints, and none flashes.
  const theme = themeOf((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={theme === 'system' ? undefined : theme}>
      <body className="min-h-screen antialiased">{children}</body>
    </html>
  );
}
