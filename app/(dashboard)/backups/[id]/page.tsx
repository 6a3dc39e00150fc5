import Link from 'next/link';
import { notFound } from 'next/navigation';
import { BackupProgress } from '@/components/backup/backup-progress';
import { LiveStatus } from '@/components/backup/live-status';
import { ManifestContents } from '@/components/backup/manifest-contents';
import { EncryptedToText } from '@/components/backup/encrypted-to';
import { VerifyForm } from '@/components/backup/verify-form';
import { ActionButton } from '@/components/ui/action-button';
import { Card, CardTitle } from '@/components/ui/card';
import { JobProgressProvider } from '@/components/ui/job-progress';
import { PageHeader } from '@/components/ui/page-header';
import { formatBytes, formatDuration, formatTime } from '@/components/ui/format';
import { grantsOf } from '@/lib/auth/permissions';
import { requireUser } from '@/lib/auth/session';
import { LifeboatError } from '@/lib/errors';
import { getBackup, lastGoodBackups, type BackupView } from '@/lib/history/backup-history';
import { getManifest } from '@/lib/history/manifest-parts';
import { isRunning } from '@/lib/jobs/job-states';
import { cancelBackupAction, deleteArchiveAction, verifyBackupAction } from './actions';

type Props = { params: Promise<{ id: string }> };

export default async function BackupPage({ params }: Props) {
  const may = grantsOf(await requireUser());
  const { id } = await params;
  const backup = await getBackup(id).catch((error) => {
    if (error instanceof LifeboatError && error.code === 'not_found') notFound();
    throw error;
  });
  const [manifest, lastGood] = await Promise.all([getManifest(id), lastGoodBackups()]);
  const onlyGoodOne = lastGood.get(backup.nodeHostname)?.id === backup.id;
  const facts: [string, React.ReactNode][] = [
    [
      'Node',
      <Link key="n" href={`/nodes/${encodeURIComponent(backup.nodeHostname)}`} className="font-mono text-sky-800 hover:underline">
        {backup.nodeHostname}
      </Link>,
    ],
    ['Asked by', backup.requestedBy],
    ...(backup.policy
      ? ([
          [
            'Policy',
            <Link key="p" href="/policies" className="text-sky-800 hover:underline">
              {backup.policy.name}
            </Link>,
          ],
        ] as [string, React.ReactNode][])
      : []),
    ['Started', formatTime(backup.startedAt)],
    ['Finished', formatTime(backup.finishedAt)],
    ['UCP down', formatDuration(backup.downtimeMs)],
    ['Stopped', backup.stoppedContainers.map((c) => c.name).join(', ') || 'nothing'],
    ['Started again', startedAgain(backup)],
    ['Volumes', backup.scope === 'root-ca' ? 'root CA only' : backup.volumes.join(', ')],
    ['Tar', formatBytes(backup.plainBytes)],
    ['Archive', formatBytes(backup.encryptedBytes)],
    [
      'SHA-256',
      <span key="s" className="break-all font-mono text-xs">
        {backup.sha256 ?? '—'}
      </span>,
    ],
    ['UCP version', backup.ucpVersion ?? '—'],
    ['Opens with', <EncryptedToText key="e" to={backup.encryptedTo} />],
  ];
  return (
    <JobProgressProvider jobId={backup.id} running={isRunning(backup.status)}>
      <div className="space-y-4">
        <PageHeader parent={{ href: '/backups', label: 'Backups' }} title={backup.fileName}>
          <LiveStatus status={backup.status} />
          {backup.fileDeletedAt && (
            <span className="text-sm text-slate-500">
              {backup.pruned ? `pruned by the policy "${backup.pruned.by}"` : 'archive deleted'} {formatTime(backup.fileDeletedAt)}
            </span>
          )}
        </PageHeader>
        {backup.note && <p className="text-sm text-slate-700">“{backup.note}”</p>}
        {isRunning(backup.status) && (
          <Card className="space-y-3">
            <BackupProgress />
            {may.backup && (
              <ActionButton
                action={cancelBackupAction}
                fields={{ id: backup.id }}
                label="Cancel backup"
                pendingLabel="Cancelling…"
                variant="danger"
                confirm="Cancel this backup? Its containers are started again and no archive is kept."
                toastOnSuccess
              />
            )}
          </Card>
        )}
        {backup.error && (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
            {backup.error}
          </p>
        )}
        {backup.warning && <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">{backup.warning}</p>}
        <Card>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            {facts.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-slate-500">{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          {backup.stored && (may.download || may.manage || may.restore) && (
            <div className="mt-4 flex flex-wrap items-center gap-3">
              {may.download && (
                <a href={`/api/v1/backups/${backup.id}/archive`} download className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800">
                  Download
                </a>
              )}
              {may.manage && (
                <ActionButton
                  action={deleteArchiveAction}
                  fields={{ id: backup.id }}
                  label="Delete archive"
                  pendingLabel="Deleting…"
                  variant="secondary"
                  confirm={
                    onlyGoodOne
                      ? `This is ${backup.nodeHostname}'s newest good backup: deleting it leaves an older one or none to restore from. Delete it from the store anyway? The history keeps the record.`
                      : 'Delete this archive from the store? The history keeps the record.'
                  }
                  toastOnSuccess
                />
              )}
              {may.restore && (
                <Link href={`/restore?backupId=${backup.id}`} className="text-sm text-sky-800 hover:underline">
                  Restore…
                </Link>
              )}
            </div>
          )}
        </Card>
        {backup.stored && may.verify && (
          <Card>
            <CardTitle>Verify</CardTitle>
            <p data-testid="last-verification" className="mb-3 text-sm">
              {backup.verification ? (
                <span className={backup.verification.ok ? 'text-emerald-800' : 'text-red-800'}>
                  {backup.verification.ok ? 'Restores' : 'Does not restore'}: {backup.verification.message} ({formatTime(backup.verification.at)})
                </span>
              ) : (
                <span className="text-slate-600">Never verified. Verifying decrypts the whole archive and checks every file, changing nothing.</span>
              )}
            </p>
            <VerifyForm backupId={backup.id} action={verifyBackupAction} keyOnly={!backup.encryptedTo.passphrase} />
          </Card>
        )}
        {manifest && (
          <Card>
            <CardTitle>Contents</CardTitle>
            <ManifestContents manifest={manifest} backupId={backup.id} />
          </Card>
        )}
      </div>
    </JobProgressProvider>
  );
}

/** Whether what the backup stopped runs again: said plainly, not implied by "stopped". */
function startedAgain(backup: BackupView): string {
  if (backup.stoppedContainers.length === 0) return '—';
  if (backup.containersStartedAt) return formatTime(backup.containersStartedAt);
  return isRunning(backup.status) ? 'not yet' : 'not all of them: see the warning above';
}
