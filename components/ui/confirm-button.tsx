'use client';

import { useRef } from 'react';
import { Button, type ButtonVariant } from './button';

/**
 * A submit button that asks first, in a modal dialog of the page's own (focus kept inside, Escape goes
 * back): the question, "Go back", and the action again by its name. It submits the form it sits in.
 */
export function ConfirmButton({
  label,
  pendingLabel,
  pending,
  variant,
  question,
}: {
  label: string;
  pendingLabel: string;
  pending: boolean;
  variant: ButtonVariant;
  question: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <Button type="button" variant={variant} disabled={pending} onClick={() => dialog.current?.showModal()}>
        {pending ? pendingLabel : label}
      </Button>
      <dialog
        ref={dialog}
        aria-label={label}
        className="m-auto w-[min(28rem,calc(100%-2rem))] rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-900 shadow-lg backdrop:bg-black/50"
      >
        <p className="mb-4">{question}</p>
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" autoFocus onClick={() => dialog.current?.close()}>
            Go back
          </Button>
          <Button type="submit" variant={variant} onClick={() => dialog.current?.close()}>
            {label}
          </Button>
        </div>
      </dialog>
    </>
  );
}
