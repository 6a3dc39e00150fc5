import type { Metadata } from 'next';
import { EndpointForm } from '@/components/settings/endpoint-form';
import { PublicKeyForm } from '@/components/settings/public-key-form';
import { TokenForm } from '@/components/settings/token-form';
import { ActionButton } from '@/components/ui/action-button';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { listApiTokens } from '@/lib/auth/api-tokens';
import { requireUser } from '@/lib/auth/session';
import { listEndpoints } from '@/lib/endpoints/endpoint-store';
import { listPublicKeys } from '@/lib/keys/public-keys';
import { formatTime } from '@/components/ui/format';
import { addEndpointAction, createTokenAction, importPublicKeyAction, removeEndpointAction, removePublicKeyAction, revokeTokenAction, testEndpointAction } from './actions';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  await requireUser();
  const [endpoints, tokens, keys] = await Promise.all([listEndpoints(), listApiTokens(), listPublicKeys()]);
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Settings</h1>
      <Card>
        <CardTitle>Engine endpoints</CardTitle>
        <p className="mb-3 text-sm text-slate-600">One endpoint per node: Lifeboat talks to each engine directly to stop UCP and read its volumes.</p>
        <ul className="mb-5 divide-y divide-slate-100">
          {endpoints.length === 0 && <li className="py-2 text-sm text-slate-500">No endpoints yet.</li>}
          {endpoints.map((e) => (
            <li key={e.id} data-endpoint={e.name} className="flex flex-wrap items-center gap-3 py-2 text-sm">
              <span className="w-28 font-mono font-medium">{e.name}</span>
              <span className="font-mono text-xs text-slate-600">{e.url}</span>
              {e.tls ? <Badge tone="good">mutual TLS</Badge> : e.url.startsWith('tcp') ? <Badge tone="warn">no TLS</Badge> : null}
              {e.origin === 'lab' && <Badge>lab</Badge>}
              <span className="ml-auto flex items-center gap-2">
                <ActionButton action={testEndpointAction} fields={{ id: e.id }} label="Test" pendingLabel="Testing…" />
                <ActionButton
                  action={removeEndpointAction}
                  fields={{ id: e.id }}
                  label="Remove"
                  pendingLabel="Removing…"
                  variant="danger"
                  confirm={`Remove the endpoint ${e.name}?`}
                />
              </span>
            </li>
          ))}
        </ul>
        <EndpointForm action={addEndpointAction} />
      </Card>
      <Card>
        <CardTitle>Encryption keys</CardTitle>
        <p className="mb-3 text-sm text-slate-600">
          OpenPGP public keys that backups can be encrypted to, instead of or beside a passphrase. Whoever holds a key&apos;s private key can verify and restore them (
          <code className="text-xs">gpg --decrypt</code> reads them too). Lifeboat never stores a private key.
        </p>
        <ul className="mb-5 divide-y divide-slate-100">
          {keys.length === 0 && <li className="py-2 text-sm text-slate-500">No keys yet.</li>}
          {keys.map((k) => (
            <li key={k.id} data-key={k.fingerprint} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
              <span className="font-medium">{k.userIds[0] ?? 'no user ID'}</span>
              <span className="break-all font-mono text-xs text-slate-600">{k.fingerprint}</span>
              <span className="text-xs text-slate-500">{k.algorithm}</span>
              {k.expiresAt ? (
                <Badge tone={k.expiresAt > new Date() ? 'neutral' : 'bad'}>
                  {k.expiresAt > new Date() ? `expires ${formatTime(k.expiresAt)}` : `expired ${formatTime(k.expiresAt)}`}
                </Badge>
              ) : (
                <Badge>never expires</Badge>
              )}
              <span className="ml-auto">
                <ActionButton
                  action={removePublicKeyAction}
                  fields={{ id: k.id }}
                  label="Remove"
                  pendingLabel="Removing…"
                  variant="danger"
                  confirm={`Remove the key ${k.fingerprint}? Backups already encrypted to it still open with its private key.`}
                />
              </span>
            </li>
          ))}
        </ul>
        <PublicKeyForm action={importPublicKeyAction} />
      </Card>
      <Card>
        <CardTitle>API tokens</CardTitle>
        <p className="mb-3 text-sm text-slate-600">
          For scripts: <code className="text-xs">curl -H &quot;Authorization: Bearer $TOKEN&quot; …/api/v1/nodes</code>. Only a hash of each token is stored.
        </p>
        <ul className="mb-4 divide-y divide-slate-100">
          {tokens.length === 0 && <li className="py-2 text-sm text-slate-500">No tokens yet.</li>}
          {tokens.map((t) => (
            <li key={t.id} data-token={t.name} className="flex items-center gap-3 py-2 text-sm">
              <span className="w-40 font-medium">{t.name}</span>
              <span className="font-mono text-xs text-slate-500">{t.prefix}…</span>
              <span className="text-xs text-slate-500">{t.lastUsedAt ? `last used ${t.lastUsedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC` : 'never used'}</span>
              <span className="ml-auto">
                <ActionButton action={revokeTokenAction} fields={{ id: t.id }} label="Revoke" pendingLabel="Revoking…" variant="danger" />
              </span>
            </li>
          ))}
        </ul>
        <TokenForm action={createTokenAction} />
      </Card>
    </div>
  );
}
