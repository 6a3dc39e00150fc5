/** Runs once when the server starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { announceAdmin } = await import('./lib/auth/admin-announce');
  const { startJobSupervisor } = await import('./lib/jobs/recovery');
  const { drainJobs } = await import('./lib/jobs/shutdown');
  const { startWebhookDispatcher } = await import('./lib/webhooks/webhook-dispatch');
  const { interruptOwnRuns, startPolicyScheduler } = await import('./lib/policies/scheduler');
  const { rawRequestSignedIn } = await import('./lib/api/authenticate');
  await announceAdmin();
  // Jobs whose owner died (this server's last run, or another process on the same data directory) are
  // taken over and resolved, now and every few seconds; an engine that is down does not hold up the start.
  startJobSupervisor();
  // Webhook deliveries queued by any process (and the check for controllers without a good backup).
  startWebhookDispatcher();
  // Policies' runs, claimed in the database so that no two processes make the same one.
  startPolicyScheduler();
  // scripts/serve.mjs asks it whether an archive upload is signed in (then: no receive deadline).
  (globalThis as { lifeboatSignedIn?: typeof rawRequestSignedIn }).lifeboatSignedIn = rawRequestSignedIn;
  // scripts/serve.mjs calls it on SIGTERM: running jobs put their nodes back before the process exits.
  (globalThis as { lifeboatShutdown?: () => Promise<unknown> }).lifeboatShutdown = async () => {
    const drained = await drainJobs();
    await interruptOwnRuns().catch(() => {});
    return drained;
  };
}
