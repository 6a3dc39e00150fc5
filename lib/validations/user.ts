import { z } from 'zod';
import { passwordRule } from '@/lib/auth/password-rule';
import { ROLES } from '@/lib/auth/permissions';

export const usernameSchema = z
  .string()
  .trim()
  .min(1, 'give the user a name')
  .max(64, 'the name is longer than 64 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, dots, dashes and underscores');

export const roleSchema = z.enum(ROLES, 'a role is admin, operator or viewer');

/** A new user; without a password, one is generated and shown once. */
export const newUserSchema = z.object({
  username: usernameSchema,
  role: roleSchema,
  password: z.preprocess((v) => (v === '' || v === null ? undefined : v), passwordRule.optional()),
});
