import type { Metadata } from 'next';
import { EndpointForm } from '@/components/settings/endpoint-form';
import { TokenForm } from '@/components/settings/token-form';
import { ActionButton } from '@/components/ui/action-button';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { listApiTokens } from '@/lib/auth/api-tokens';
import { requireUser } from '@/lib/auth/session';
import { listEndpoints } from '@/lib/endpoints/endpoint-store';
import { addEndpointAction, createTokenAction, removeEndpointAction, revokeTokenAction, testEndpointAction } from './actions';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  await requireUser();
  const [endpoints, tokens] = await Promise.all([listEndpoints(), listApiTokens()]);
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
