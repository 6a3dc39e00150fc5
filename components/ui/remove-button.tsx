import type { ActionState } from '@/lib/auth/form-action';
import { ActionButton } from './action-button';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** "Remove" for one row of a list (by its id), asked to confirm first; the row goes, so its result is a toast. */
export function RemoveButton({ action, id, confirm }: { action: Action; id: string; confirm: string }) {
  return <ActionButton action={action} fields={{ id }} label="Remove" pendingLabel="Removing…" variant="danger" confirm={confirm} toastOnSuccess />;
}
