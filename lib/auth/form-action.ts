import 'server-only';
import { ZodError } from 'zod';
import { LifeboatError } from '@/lib/errors';
import type { BackupPreview } from '@/lib/backup/backup-preview';
import type { VerificationReport } from '@/lib/restore/report';
import { recordAudit } from '@/lib/audit/audit-log';
import { clientAddress } from './client-address';
import { authorize, type Permission } from './permissions';
import { requireUser, type SessionUser } from './session';

export type ActionState = {
  ok: boolean;
  message: string;
  fieldErrors?: Record<string, string[]>;
  /** Shown once (a new API token). */
  secret?: string;
  /** What the action created, for the page to go to. */
  createdId?: string;
  /** What a backup would do if started now (a dry check that changes nothing). */
  preview?: BackupPreview;
  /** A restore's verification report. */
  report?: VerificationReport | null;
  /** Not allowed (the user's role), rather than failed. */
  refused?: boolean;
  /** What saving a policy's new retention would prune; saved once the form sends `token` back. */
  prunePreview?: { token: string; archives: { id: string; node: string; startedAt: string; why: string }[] };
} | null;

/**
 * The one wrapper for form server actions: the session first, then the permission the action needs, then
 * the work; a refusal or a user's mistake (LifeboatError, ZodError) comes back as a message, anything else
 * stays an error.
 */
export function formAction(permission: Permission, auditAs: string, run: (form: FormData, user: SessionUser) => Promise<ActionState>) {
  return async (_previous: ActionState, form: FormData): Promise<ActionState> => {
    const user = await requireUser();
    let state: ActionState | undefined;
    try {
      state = await attempt(permission, form, user, run);
      return state;
    } finally {
      // An unexpected error (state still undefined) is recorded as failed too, then rethrown.
      await recordAudit({
        actor: `user:${user.username}`,
        address: await clientAddress(),
        action: auditAs,
        target: targetOf(form),
        // A preview that waits for the user's confirmation changed nothing: refused, until confirmed.
        result: state?.ok ? 'ok' : state?.refused || state?.prunePreview ? 'refused' : 'failed',
        detail: state === undefined ? 'unexpected error: see the server log' : state?.message,
      });
    }
  };
}

/**
 * A server action that only reads (a dry check behind a form): the same session and permission checks
 * and the same messages as `formAction`, but nothing to audit, since it changes nothing.
 */
export function readAction(permission: Permission, run: (form: FormData, user: SessionUser) => Promise<ActionState>) {
  return async (_previous: ActionState, form: FormData): Promise<ActionState> => attempt(permission, form, await requireUser(), run);
}

/** What an action was done to, from the fields that name it (never any other field: a passphrase, say). */
function targetOf(form: FormData): string | null {
  if (!(form instanceof FormData)) return null;
  for (const field of ['node', 'username', 'name', 'id']) {
    const value = form.get(field);
    if (typeof value === 'string' && value) return value;
  }
  return null;
}

async function attempt(permission: Permission, form: FormData, user: SessionUser, run: (form: FormData, user: SessionUser) => Promise<ActionState>): Promise<ActionState> {
  try {
    authorize(user, permission);
    return await run(form, user);
  } catch (error) {
    if (error instanceof LifeboatError) return { ok: false, message: error.message, refused: error.code === 'forbidden' };
    if (error instanceof ZodError) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of error.issues) (fieldErrors[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
      return { ok: false, message: error.issues[0]?.message ?? 'invalid input', fieldErrors };
    }
    throw error;
  }
}
