/** An imported public key an archive can be encrypted to. */
export type RecipientKey = { fingerprint: string; userId: string };

/** Public keys as choices: who holds each, and the end of its fingerprint. */
export function keyOptions(keys: RecipientKey[]) {
  return keys.map((k) => ({
    value: k.fingerprint,
    label: (
      <>
        <span>{k.userId || 'no user ID'}</span>
        <span className="font-mono text-xs text-slate-500">{k.fingerprint.slice(-16)}</span>
      </>
    ),
  }));
}
