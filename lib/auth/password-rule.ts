import { z } from 'zod';

/** Every password a person sets: long enough that the scrypt cost, not guessing, is what stands in the way. */
export const MIN_PASSWORD_LENGTH = 12;

export const passwordRule = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `the password must have at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, 'the password is longer than 1024 characters');

export function passwordProblem(password: string): string | null {
  const result = passwordRule.safeParse(password);
  return result.success ? null : result.error.issues[0].message;
}
