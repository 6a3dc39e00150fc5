/** The result of a form's action, read out by screen readers as it changes. */
export function FormMessage({ state }: { state: { ok: boolean; message: string } | null }) {
  return (
    <p aria-live="polite" role="status" className={`text-sm ${state?.ok ? 'text-emerald-700' : 'text-red-700'}`}>
      {state?.message}
    </p>
  );
}
