import 'server-only';
import { ZodError } from 'zod';
import { LifeboatError } from '@/lib/errors';
import type { VerificationReport } from '@/lib/restore/report';
import { requireUser, type SessionUser } from './session';

export type ActionState = {
  ok: boolean;
  message: string;
  fieldErrors?: Record<string, string[]>;
  /** Shown once (a new API token). */
  secret?: string;
  /** What the action created, for the page to go to. */
  createdId?: string;
  /** A restore's verification report. */
  report?: VerificationReport | null;
  /** What saving a policy's new retention would prune; saved once the form sends `token` back. */
  prunePreview?: { token: string; archives: { id: string; node: string; startedAt: string; why: string }[] };
} | null;

/**
 * The one wrapper for form server actions: the session first, then the work; a user's mistake
 * (LifeboatError, ZodError) comes back as a message, anything else stays an error.
 */
export function formAction(run: (form: FormData, user: SessionUser) => Promise<ActionState>) {
  return async (_previous: ActionState, form: FormData): Promise<ActionState> => {
    const user = await requireUser();
    try {
      return await run(form, user);
    } catch (error) {
      if (error instanceof LifeboatError) return { ok: false, message: error.message };
      if (error instanceof ZodError) {
        const fieldErrors: Record<string, string[]> = {};
        for (const issue of error.issues) (fieldErrors[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
        return { ok: false, message: error.issues[0]?.message ?? 'invalid input', fieldErrors };
      }
      throw error;
    }
  };
}
