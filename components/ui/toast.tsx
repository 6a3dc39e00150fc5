'use client';

import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

export type ToastTone = 'success' | 'error';
type Toast = { id: number; message: string; tone: ToastTone };
type Show = (message: string, tone?: ToastTone) => void;

const ToastContext = createContext<Show | null>(null);
/** How long a toast stays; hovering or focusing it holds it. */
const SHOWN_MS = 8000;
/** The most toasts on screen at once: the oldest gives way. */
const MOST = 3;

/**
 * Short results that outlive what caused them (a removed row, a cancelled job's card), in one live region
 * that stays mounted across pages, so that a screen reader reads each out. Inline status lines remain
 * the place for a form's own result.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const lastId = useRef(0);
  const dismiss = useCallback((id: number) => setToasts((shown) => shown.filter((t) => t.id !== id)), []);
  const show = useCallback<Show>((message, tone = 'success') => {
    const id = ++lastId.current;
    setToasts((shown) => [...shown.slice(1 - MOST), { id, message, tone }]);
  }, []);
  return (
    <ToastContext value={show}>
      {children}
      <section aria-label="Notifications" className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex justify-center p-4 sm:justify-end">
        <ol aria-live="polite" className="flex w-full max-w-sm flex-col gap-2">
          {toasts.map((t) => (
            <ToastItem key={t.id} toast={t} onDismiss={dismiss} />
          ))}
        </ol>
      </section>
    </ToastContext>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (held) return;
    const timer = setTimeout(() => onDismiss(toast.id), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [held, toast.id, onDismiss]);
  const tone = toast.tone === 'success' ? 'border-emerald-300 bg-emerald-50 text-emerald-900' : 'border-red-300 bg-red-50 text-red-900';
  return (
    <li
      className={`pointer-events-auto flex items-start gap-3 rounded-md border px-3 py-2 text-sm shadow-lg ${tone}`}
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
    >
      <p className="flex-1">{toast.message}</p>
      <button type="button" onClick={() => onDismiss(toast.id)} aria-label="Dismiss" className="rounded px-1 leading-none opacity-70 hover:opacity-100">
        ×
      </button>
    </li>
  );
}

/** Shows a toast: `toast(message)`, or `toast(message, 'error')`. */
export function useToast(): Show {
  const show = useContext(ToastContext);
  if (!show) throw new Error('useToast: no <ToastProvider> above this component');
  return show;
}
