import type { EncryptedTo } from '@/lib/keys/key-facts';

/** Who can open an archive: "its passphrase", and each key's user ID with the end of its fingerprint. */
export function EncryptedToText({ to }: { to: EncryptedTo }) {
  const parts = [
    ...(to.passphrase ? ['its passphrase'] : []),
    ...to.keys.map((k) => (
      <span key={k.fingerprint} title={k.fingerprint}>
        the private key of {k.userId || 'a key'} <span className="font-mono text-xs">{k.fingerprint.slice(-16)}</span>
      </span>
    )),
  ];
  return (
    <span data-testid="encrypted-to">
      {parts.map((part, index) => (
        <span key={index}>
          {index > 0 && (index === parts.length - 1 ? ' or ' : ', ')}
          {part}
        </span>
      ))}
    </span>
  );
}
