/** Runs once when the server starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { announceAdmin } = await import('./lib/auth/admin-announce');
  await announceAdmin();
}
