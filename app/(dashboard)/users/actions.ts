'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction } from '@/lib/auth/form-action';
import { changeRole, createUser, resetUserPassword, setDisabled } from '@/lib/auth/user-admin';
import { newUserSchema, roleSchema } from '@/lib/validations/user';

const idSchema = z.object({ id: z.string().min(1) });

export const createUserAction = formAction('manage', 'user.create', async (form) => {
  const input = newUserSchema.parse(Object.fromEntries(form));
  const created = await createUser(input);
  revalidatePath('/users');
  return created.generated
    ? { ok: true, message: `${created.username} created. Give them this password (shown once):`, secret: created.password }
    : { ok: true, message: `${created.username} created with the password you typed.` };
});

export const changeRoleAction = formAction('manage', 'user.role', async (form) => {
  const { id, role } = idSchema.extend({ role: roleSchema }).parse(Object.fromEntries(form));
  await changeRole(id, role);
  revalidatePath('/users');
  return { ok: true, message: `Now ${role}.` };
});

export const setDisabledAction = formAction('manage', 'user.disable', async (form, user) => {
  const { id, disabled } = idSchema.extend({ disabled: z.enum(['true', 'false']) }).parse(Object.fromEntries(form));
  await setDisabled(user.id, id, disabled === 'true');
  revalidatePath('/users');
  return { ok: true, message: disabled === 'true' ? 'Disabled; signed out everywhere.' : 'Enabled.' };
});

export const resetPasswordAction = formAction('manage', 'user.password', async (form) => {
  const { id } = idSchema.parse(Object.fromEntries(form));
  const reset = await resetUserPassword(id);
  revalidatePath('/users');
  return { ok: true, message: `New password for ${reset.username} (shown once; signed out everywhere):`, secret: reset.password };
});
