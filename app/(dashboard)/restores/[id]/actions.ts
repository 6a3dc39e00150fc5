'use server';

import { z } from 'zod';
import { formAction } from '@/lib/auth/form-action';
import { cancelRestore } from '@/lib/restore/restore-run';

export const cancelRestoreAction = formAction('restore', 'restore.cancel', async (form) => {
  const { id } = z.object({ id: z.string().min(1) }).parse(Object.fromEntries(form));
  await cancelRestore(id);
  return { ok: true, message: 'Cancelling: what was written is put back from the safety copy before anything starts.' };
});
