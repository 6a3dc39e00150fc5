'use client';

import { cloneElement, useId, type InputHTMLAttributes, type ReactElement, type ReactNode, type TextareaHTMLAttributes } from 'react';

const inputClass = 'mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-1 focus:ring-sky-600';

/** A labelled control; the hint and errors describe it (aria-describedby) without joining its name. */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string[];
  children: ReactElement<{ id?: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }>;
}) {
  const id = useId();
  const describedBy = `${id}-hint`;
  return (
    <div className="block text-sm">
      <label htmlFor={id} className="font-medium text-slate-800">
        {label}
      </label>
      {cloneElement(children, { id, 'aria-describedby': describedBy, 'aria-invalid': Boolean(error?.length) })}
      <div id={describedBy}>
        {hint && <span className="mt-1 block text-xs text-slate-500">{hint}</span>}
        {error?.map((e) => (
          <span key={e} className="mt-1 block text-xs text-red-700">
            {e}
          </span>
        ))}
      </div>
    </div>
  );
}

export function Input(props: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={inputClass} {...props} />;
}

/** A text area for pasted material (an armored key): monospace, never spell-checked. */
export function TextArea(props: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea rows={4} spellCheck={false} className={`${inputClass} font-mono text-xs`} {...props} />;
}
