'use server';

import { revalidatePath } from 'next/cache';
import { formAction } from '@/lib/auth/form-action';
import { startBackup } from '@/lib/backup/backup-run';
import { backupFormSchema } from '@/lib/validations/backup';

// Starts the backup and returns its id at once; the browser then downloads the archive as it is written.
export const startBackupAction = formAction('backup', 'backup.start', async (form, user) => {
  const order = backupFormSchema.parse({ ...Object.fromEntries(form), volumes: form.getAll('volumes'), keys: form.getAll('keys') });
  const started = await startBackup({ ...order, requestedBy: user.username });
  revalidatePath('/backups');
  return { ok: true, message: `Backing up ${order.node}: the download starts now.`, createdId: started.id };
});
