import type { Metadata } from 'next';
import { EndpointForm } from '@/components/settings/endpoint-form';
import { PublicKeyForm } from '@/components/settings/public-key-form';
import { PublicKeyList } from '@/components/settings/public-key-list';
import { SecretOnceForm } from '@/components/settings/secret-once-form';
import { TokenOptions } from '@/components/settings/token-options';
import { WebhookList } from '@/components/settings/webhook-list';
import { RemoveButton } from '@/components/ui/remove-button';
import { AlertSettingsForm } from '@/components/settings/alert-settings-form';
import { ActionButton } from '@/components/ui/action-button';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { formatTime } from '@/components/ui/format';
import { listApiTokens } from '@/lib/auth/api-tokens';
import { NotAllowed } from '@/components/auth/not-allowed';
import { can } from '@/lib/auth/permissions';
import { requireUser } from '@/lib/auth/session';
import { listEndpoints, type EndpointView } from '@/lib/endpoints/endpoint-store';
import { listPublicKeys } from '@/lib/keys/public-keys';
import { listWebhooks, backupAgeThresholds } from '@/lib/webhooks/webhook-store';
import {
  addEndpointAction,
  createWebhookAction,
  removeWebhookAction,
  saveAlertSettingsAction,
  createTokenAction,
  importPublicKeyAction,
  removeEndpointAction,
  removePublicKeyAction,
  revokeTokenAction,
  testEndpointAction,
  updateEndpointAction,
} from './actions';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const user = await requireUser();
  if (!can(user, 'manage')) return <NotAllowed user={user} permission="manage" />;
  const [endpoints, tokens, keys, webhooks, thresholds] = await Promise.all([listEndpoints(), listApiTokens(), listPublicKeys(), listWebhooks(), backupAgeThresholds()]);
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Settings</h1>
      <Card>
        <CardTitle>Engine endpoints</CardTitle>
        <p className="mb-3 text-sm text-slate-600">One endpoint per node: Lifeboat talks to each engine directly to stop UCP and read its volumes.</p>
        <ul className="mb-5 divide-y divide-slate-100">
          {endpoints.length === 0 && <li className="py-2 text-sm text-slate-500">No endpoints yet.</li>}
          {endpoints.map((e) => (
            <li key={e.id} data-endpoint={e.name} className="space-y-2 py-2 text-sm">
              <div className="flex flex-wrap items-center gap-3">
                <span className="w-28 font-mono font-medium">{e.name}</span>
                <span className="break-all font-mono text-xs text-slate-600">{e.url}</span>
                {e.tls ? <Badge>mutual TLS</Badge> : e.plainTcp ? <Badge tone="bad">plain TCP: keys cross in clear</Badge> : null}
                {e.origin === 'lab' && <Badge>lab</Badge>}
                <LastTest test={e.lastTest} />
                <span className="ml-auto flex items-center gap-2">
                  <ActionButton action={testEndpointAction} fields={{ id: e.id }} label="Test" pendingLabel="Testing…" />
                  <RemoveButton action={removeEndpointAction} id={e.id} confirm={`Remove the endpoint ${e.name}?`} />
                </span>
              </div>
              {e.lastTest && !e.lastTest.ok && <p className="text-xs text-red-700">{e.lastTest.message}</p>}
              <details className="rounded-md border border-slate-200 p-2">
                <summary className="cursor-pointer text-sky-800">Edit {e.name}: its URL, or new certificates</summary>
                <div className="mt-3">
                  <EndpointForm action={updateEndpointAction} endpoint={{ id: e.id, name: e.name, url: e.url, tls: e.tls, plainTcp: e.plainTcp }} />
                </div>
              </details>
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
        <PublicKeyList keys={keys} remove={removePublicKeyAction} now={new Date()} />
        <PublicKeyForm action={importPublicKeyAction} />
      </Card>
      <Card>
        <CardTitle>Webhooks</CardTitle>
        <p className="mb-3 text-sm text-slate-600">
          A signed JSON POST to each URL when a backup, restore or verification succeeds or fails, and when a controller has had no good backup for too long. Failed deliveries are
          retried with back-off for about 8 hours. How to check the <code className="text-xs">X-Lifeboat-Signature</code> header: see the README.
        </p>
        <AlertSettingsForm action={saveAlertSettingsAction} thresholds={thresholds} />
        <WebhookList webhooks={webhooks} remove={removeWebhookAction} />
        <SecretOnceForm
          action={createWebhookAction}
          formLabel="Add a webhook"
          field={{ name: 'url', label: 'Webhook URL', placeholder: 'https://alerts.example.org/lifeboat', type: 'url' }}
          submit={{ label: 'Add webhook', pending: 'Adding…' }}
        />
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
              <span className="text-xs">{t.scopes.join(', ')}</span>
              <span className="text-xs text-slate-500">
                {t.expired ? <Badge tone="bad">expired</Badge> : t.expiresAt ? `expires ${formatTime(t.expiresAt)}` : 'never expires'} ·{' '}
                {t.lastUsedAt ? `last used ${formatTime(t.lastUsedAt)}` : 'never used'}
              </span>
              <span className="ml-auto">
                <ActionButton action={revokeTokenAction} fields={{ id: t.id }} label="Revoke" pendingLabel="Revoking…" variant="danger" toastOnSuccess />
              </span>
            </li>
          ))}
        </ul>
        <SecretOnceForm
          action={createTokenAction}
          formLabel="Create an API token"
          field={{ name: 'name', label: 'Token name', placeholder: 'nightly-cron' }}
          submit={{ label: 'Create token', pending: 'Creating…' }}
        >
          <TokenOptions />
        </SecretOnceForm>
      </Card>
    </div>
  );
}

/** The endpoint's last connection test: answered (green), failed (red), or never tested. */
function LastTest({ test }: { test: EndpointView['lastTest'] }) {
  if (!test) return <Badge>not tested</Badge>;
  return (
    <span data-last-test={test.ok ? 'ok' : 'failed'}>
      <Badge tone={test.ok ? 'good' : 'bad'} title={test.message}>
        {test.ok ? 'answered' : 'failed'} {formatTime(test.at)}
      </Badge>
    </span>
  );
}
