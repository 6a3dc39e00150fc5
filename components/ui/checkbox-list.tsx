'use client';

import type { ReactNode } from 'react';

export type CheckboxOption = { value: string; label: ReactNode };

/** Checkboxes that post `name` once per chosen value; the caller holds the choice. */
export function CheckboxList({
  name,
  options,
  chosen,
  onChange,
  className = 'space-y-1',
}: {
  name: string;
  options: CheckboxOption[];
  chosen: string[];
  onChange: (chosen: string[]) => void;
  className?: string;
}) {
  return (
    <div className={className}>
      {options.map((o) => (
        <label key={o.value} className="flex items-center gap-2">
          <input
            type="checkbox"
            name={name}
            value={o.value}
            checked={chosen.includes(o.value)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value))}
          />
          {o.label}
        </label>
      ))}
    </div>
  );
}
