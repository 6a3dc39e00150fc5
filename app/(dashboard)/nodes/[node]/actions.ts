'use server';

import { revalidatePath } from 'next/cache';
import { formAction, readAction } from '@/lib/auth/form-action';
import { previewBackup } from '@/lib/backup/backup-preview';
import { startBackup } from '@/lib/backup/backup-run';
import { backupFormSchema, backupPreviewSchema } from '@/lib/validations/backup';

// Starts the backup and returns its id at once; the browser then downloads the archive as it is written.
export const startBackupAction = formAction('backup', 'backup.start', async (form, user) => {
  const order = backupFormSchema.parse({ ...Object.fromEntries(form), volumes: form.getAll('volumes'), keys: form.getAll('keys') });
  const started = await startBackup({ ...order, requestedBy: user.username });
  revalidatePath('/backups');
  return { ok: true, message: `Backing up ${order.node}: the download starts now.`, createdId: started.id };
});

// What a backup with these fields would do now: the form's "what will happen", before it is submitted.
export const previewBackupAction = readAction('backup', async (form) => {
  const order = backupPreviewSchema.parse({ ...Object.fromEntries(form), volumes: form.getAll('volumes') });
  return { ok: true, message: '', preview: await previewBackup(order) };
});
