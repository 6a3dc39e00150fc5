'use client';

import { useActionState, useState, useTransition, type FormEvent } from 'react';
import type { ActionState } from '@/lib/auth/form-action';

export type FormActionFn = (state: ActionState, form: FormData) => Promise<ActionState>;
export type KeptFormProps = ReturnType<typeof useKeptForm>['form'];

/**
 * A form bound to a server action that keeps what the operator typed and chose when the action fails.
 * Spread `form` on the <form>: with JavaScript, `onSubmit` dispatches the action itself (left to `action`,
 * React would empty every field, a refused one too); without it, `action` still posts the form.
 * `generation` changes with each success: a form keyed on it starts afresh once its work is done.
 */
export function useKeptForm(action: FormActionFn) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const [lastSuccess, setLastSuccess] = useState<ActionState>(null);
  const [generation, setGeneration] = useState(0);
  if (state?.ok && state !== lastSuccess) {
    setLastSuccess(state);
    setGeneration(generation + 1);
  }
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  };
  return { state, pending, form: { action: dispatch, onSubmit }, generation };
}
