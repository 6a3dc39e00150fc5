'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { deleteStoredArchive } from '@/lib/archive/archive-deletion';
import { formAction } from '@/lib/auth/form-action';

export const deleteArchiveAction = formAction(async (form) => {
  const { id } = z.object({ id: z.string().min(1) }).parse(Object.fromEntries(form));
  await deleteStoredArchive(id);
  revalidatePath(`/backups/${id}`);
  revalidatePath('/backups');
  return { ok: true, message: 'Archive deleted; the history keeps the record.' };
});
