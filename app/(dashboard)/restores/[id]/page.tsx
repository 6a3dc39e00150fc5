import Link from 'next/link';
import { notFound } from 'next/navigation';
import { RestoreProgress } from '@/components/restore/restore-progress';
import { ActionButton } from '@/components/ui/action-button';
import { LiveStatus } from '@/components/backup/live-status';
import { VerificationReportView } from '@/components/restore/verification-report';
import { Card } from '@/components/ui/card';
import { JobProgressProvider } from '@/components/ui/job-progress';
import { formatDuration, formatTime } from '@/components/ui/format';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/permissions';
import { requireUser } from '@/lib/auth/session';
import { LifeboatError } from '@/lib/errors';
import { backupLabels } from '@/lib/history/backup-history';
import { getRestore, type RestoreView } from '@/lib/history/restore-history';
import { isRunning } from '@/lib/jobs/job-states';
import { restoreCancellable } from '@/lib/restore/restore-run';
import { cancelRestoreAction } from './actions';

export default async function RestoreRecordPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const restore = await getRestore(id).catch((error) => {
    if (error instanceof LifeboatError && error.code === 'not_found') notFound();
    throw error;
  });
  const labels = await backupLabels([restore.backupId, restore.safetyBackupId]);
  const running = isRunning(restore.status);
  const title = `${restore.dryRun ? 'verification' : 'restore'} onto ${restore.targetHostname}`;
  return (
    <JobProgressProvider jobId={restore.id} running={running}>
      <div className="space-y-4">
        <PageHeader parent={{ href: '/restore', label: 'Restore' }} title={title}>
          <LiveStatus status={restore.status} />
        </PageHeader>
        {running && (
          <Card className="space-y-3">
            <RestoreProgress initialPhase={restore.phase} dryRun={restore.dryRun} />
            {!can(user, 'restore') ? null : (await restoreCancellable(restore.id)) ? (
              <ActionButton
                action={cancelRestoreAction}
                fields={{ id: restore.id }}
                label={restore.dryRun ? 'Cancel verification' : 'Cancel restore'}
                pendingLabel="Cancelling…"
                variant="danger"
                confirm="Cancel? If the volumes are being written, the safety copy is put back before anything starts."
                toastOnSuccess
              />
            ) : (
              <p className="text-sm text-slate-600">Writing without a safety copy: it cannot be cancelled until it ends.</p>
            )}
          </Card>
        )}
        {restore.error && (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
            {restore.error}
          </p>
        )}
        {restore.warning && <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">{restore.warning}</p>}
        <Card>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">Source</dt>
            <dd>
              {restore.backupId ? (
                <Link href={`/backups/${restore.backupId}`} className="text-sky-800 hover:underline">
                  {labels.get(restore.backupId)?.fileName ?? `backup ${restore.backupId}`}
                </Link>
              ) : (
                `uploaded ${restore.uploadName}`
              )}
            </dd>
            <dt className="text-slate-500">Asked by</dt>
            <dd>{restore.requestedBy}</dd>
            <dt className="text-slate-500">Started</dt>
            <dd>{formatTime(restore.startedAt)}</dd>
            <dt className="text-slate-500">Finished</dt>
            <dd>{formatTime(restore.finishedAt)}</dd>
            {!restore.dryRun && (
              <>
                <dt className="text-slate-500">Down</dt>
                <dd>{downtimeOf(restore)}</dd>
                <dt className="text-slate-500">Volumes</dt>
                <dd data-volumes-state={restore.volumesState ?? 'untouched'}>{VOLUMES_STATE[restore.volumesState ?? 'untouched']}</dd>
                <dt className="text-slate-500">Safety backup</dt>
                <dd>
                  {restore.safetyBackupId ? (
                    <>
                      <Link href={`/backups/${restore.safetyBackupId}`} className="text-sky-800 hover:underline">
                        {labels.get(restore.safetyBackupId)?.fileName ?? restore.safetyBackupId}
                      </Link>
                      {can(user, 'restore') && (
                        <>
                          {' '}
                          ·{' '}
                          <Link href={`/restore?backupId=${restore.safetyBackupId}&node=${encodeURIComponent(restore.targetHostname)}`} className="text-sky-800 hover:underline">
                            undo this restore
                          </Link>
                        </>
                      )}
                    </>
                  ) : running ? (
                    'taken while the containers are stopped; kept in the history once the restore ends'
                  ) : (
                    'none'
                  )}
                </dd>
              </>
            )}
          </dl>
        </Card>
        {restore.report && (
          <Card>
            <VerificationReportView report={restore.report} />
          </Card>
        )}
      </div>
    </JobProgressProvider>
  );
}

/** What the restore stopped, as it stands: while it runs, whether they are down now. */
function downtimeOf(restore: RestoreView) {
  const names = restore.stoppedContainers.map((c) => c.name).join(', ');
  if (!names) return isRunning(restore.status) ? 'nothing stopped so far' : 'nothing stopped';
  if (restore.containersStartedAt || !isRunning(restore.status)) return `${formatDuration(restore.downtimeMs)} (${names})`;
  return restore.phase === 'checking' ? `nothing yet: ${names} stop once the archive is verified` : `down now: ${names}`;
}

const VOLUMES_STATE = {
  untouched: 'not changed',
  writing: "being written, or put back: nothing starts before they are the backup's or as they were",
  restored: "the backup's",
  'put-back': 'put back as they were, from the safety copy',
  left: 'partly written: the node needs attention (see the error)',
} as const;
