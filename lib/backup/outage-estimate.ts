/** What a node's last backup that stopped containers took: how long they were down, for how many bytes. */
export type PastOutage = { downtimeMs: number; plainBytes: number; startedAt: Date };

/**
 * About how long a backup of `bytes` keeps its containers stopped, judged by the node's last one: as long
 * as it, or longer in proportion when these volumes hold more (stopping and starting cost the same, so
 * a smaller backup is not promised to be quicker). Null when there is nothing to judge by.
 */
export function expectedOutageMs(bytes: number, past: PastOutage | null): number | null {
  if (!past) return null;
  if (past.plainBytes <= 0 || bytes <= past.plainBytes) return past.downtimeMs;
  return Math.round(past.downtimeMs * (bytes / past.plainBytes));
}
