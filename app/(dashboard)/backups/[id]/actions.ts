'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { deleteStoredArchive } from '@/lib/archive/archive-deletion';
import { formAction } from '@/lib/auth/form-action';
import { requestCancel } from '@/lib/jobs/job-cancel';
import { verifyBackup } from '@/lib/restore/verify';
import { verifyRequestSchema } from '@/lib/validations/opener';
import { plural } from '@/lib/plural';

export const deleteArchiveAction = formAction('manage', 'archive.delete', async (form) => {
  const { id } = z.object({ id: z.string().min(1) }).parse(Object.fromEntries(form));
  await deleteStoredArchive(id);
  revalidatePath(`/backups/${id}`);
  revalidatePath('/backups');
  return { ok: true, message: 'Archive deleted; the history keeps the record.' };
});

export const verifyBackupAction = formAction('verify', 'backup.verify', async (form) => {
  const id = z.string().min(1).parse(form.get('id'));
  const report = await verifyBackup(id, verifyRequestSchema.parse(Object.fromEntries([...form.entries()].filter(([, v]) => v !== ''))));
  revalidatePath(`/backups/${id}`);
  return { ok: true, message: `Verified: ${plural(report.volumes.length, 'volume')}, every file's SHA-256 and the OpenPGP integrity check.` };
});

export const cancelBackupAction = formAction('backup', 'backup.cancel', async (form) => {
  const { id } = z.object({ id: z.string().min(1) }).parse(Object.fromEntries(form));
  await requestCancel('backup', id);
  return { ok: true, message: 'Cancelling: the containers are started again and nothing is kept.' };
});
