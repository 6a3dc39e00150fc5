import { Badge } from '@/components/ui/badge';
import { formatTime } from '@/components/ui/format';
import { RemoveButton } from '@/components/ui/remove-button';
import type { ActionState } from '@/lib/auth/form-action';
import type { PublicKeyView } from '@/lib/keys/public-keys';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** The imported public keys: who they are, their fingerprints and algorithms, and when they expire. */
export function PublicKeyList({ keys, remove, now }: { keys: PublicKeyView[]; remove: Action; now: Date }) {
  return (
    <ul className="mb-5 divide-y divide-slate-100">
      {keys.length === 0 && <li className="py-2 text-sm text-slate-500">No keys yet.</li>}
      {keys.map((k) => (
        <li key={k.id} data-key={k.fingerprint} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
          <span className="font-medium">{k.userIds[0] ?? 'no user ID'}</span>
          <span className="break-all font-mono text-xs text-slate-600">{k.fingerprint}</span>
          <span className="text-xs text-slate-500">{k.algorithm}</span>
          {!k.expiresAt ? (
            <Badge>never expires</Badge>
          ) : k.expiresAt > now ? (
            <Badge>expires {formatTime(k.expiresAt)}</Badge>
          ) : (
            <Badge tone="bad">expired {formatTime(k.expiresAt)}</Badge>
          )}
          <span className="ml-auto">
            <RemoveButton action={remove} id={k.id} confirm={`Remove the key ${k.fingerprint}? Backups already encrypted to it still open with its private key.`} />
          </span>
        </li>
      ))}
    </ul>
  );
}
