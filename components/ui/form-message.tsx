import type { ActionState } from '@/lib/auth/form-action';

/**
 * The result of a form's action, read out by screen readers as it changes. `fields`: the fields whose
 * errors the form shows beside them; an error shown there is not repeated here.
 */
export function FormMessage({ state, fields = [] }: { state: ActionState; fields?: string[] }) {
  const named = Object.keys(state?.fieldErrors ?? {});
  const besideFields = !state?.ok && named.length > 0 && named.every((name) => fields.includes(name));
  return (
    <p aria-live="polite" role="status" className={`text-sm ${state?.ok ? 'text-emerald-700' : 'text-red-700'}`}>
      {besideFields ? 'Check the marked fields.' : state?.message}
    </p>
  );
}
