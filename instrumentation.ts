/** Runs once when the server starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { announceAdmin } = await import('./lib/auth/admin-announce');
  const { recoverInterruptedJobs } = await import('./lib/backup/recovery');
  const startedAt = new Date();
  await announceAdmin();
  // In the background: an engine that is down must not hold up the server's start.
  recoverInterruptedJobs(startedAt).catch((error) => console.error('lifeboat: recovering interrupted jobs failed:', error));
}
