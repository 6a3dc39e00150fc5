const units = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 -> "1.5 KB" (powers of 1024, as `docker system df` prints them). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** 1840 -> "1.8 s", 125000 -> "2 min 5 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A time as operators read logs: "2026-11-27 20:40:06 UTC". */
export function formatTime(value: Date | string | null | undefined): string {
  if (!value) return '—';
  return new Date(value)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** How long ago, roughly: "less than a minute", "12 min", "5 h", "3 days". */
export function formatAge(ms: number): string {
  if (ms < 60_000) return 'less than a minute';
  if (ms < 3600_000) return `${Math.floor(ms / 60_000)} min`;
  if (ms < 48 * 3600_000) return `${Math.floor(ms / 3600_000)} h`;
  return `${Math.floor(ms / 86_400_000)} days`;
}

/** A time as it reads on the wall clock of `timeZone`: "Thu 3 Dec 2026, 02:00". */
export function formatInZone(value: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(value);
}
