'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createApiToken, revokeApiToken } from '@/lib/auth/api-tokens';
import { formAction } from '@/lib/auth/form-action';
import { readClientBundle } from '@/lib/endpoints/client-bundle';
import { addEndpoint, endpointConnection, recordTest, removeEndpoint, testConnection, updateEndpoint } from '@/lib/endpoints/endpoint-store';
import { importPublicKey, removePublicKey } from '@/lib/keys/public-keys';
import { endpointInputSchema } from '@/lib/validations/endpoint';
import { tokenExpiry, tokenInputSchema } from '@/lib/validations/token';
import { publicKeyImportSchema } from '@/lib/validations/public-key';
import { alertSettingsSchema, webhookInputSchema } from '@/lib/validations/webhook';
import { createWebhook, removeWebhook, setBackupAgeThresholds } from '@/lib/webhooks/webhook-store';

const idSchema = z.object({ id: z.string().min(1) });

async function fileText(form: FormData, field: string) {
  const value = form.get(field);
  if (value instanceof File) return value.size > 0 ? value.text() : undefined;
  return typeof value === 'string' && value.trim() ? value : undefined;
}

/** An endpoint as the form gives it: a client bundle, or PEM files, or neither. */
async function endpointInput(form: FormData) {
  const bundleFile = form.get('bundle');
  const bundle = bundleFile instanceof File && bundleFile.size > 0 ? readClientBundle(new Uint8Array(await bundleFile.arrayBuffer())) : null;
  return endpointInputSchema.parse({
    name: form.get('name'),
    url: String(form.get('url') ?? '').trim() || bundle?.url || '',
    ca: bundle?.ca ?? (await fileText(form, 'ca')),
    cert: bundle?.cert ?? (await fileText(form, 'cert')),
    key: bundle?.key ?? (await fileText(form, 'key')),
    allowPlainTcp: form.get('allowPlainTcp'),
  });
}

/** Tests what was saved, keeps the answer for the page's badge, and says it. */
async function savedAndTested(id: string, verb: string, connection: Parameters<typeof testConnection>[0] & { name: string }) {
  revalidatePath('/', 'layout');
  const probe = await testConnection(connection);
  await recordTest(id, probe);
  return { ok: true, message: probe.ok ? `${verb} ${connection.name}: ${probe.message}.` : `${verb} ${connection.name}, but it does not answer yet: ${probe.message}` };
}

export const addEndpointAction = formAction('manage', 'endpoint.add', async (form) => {
  const input = await endpointInput(form);
  const { id } = await addEndpoint(input);
  return savedAndTested(id, 'Added', input);
});

export const updateEndpointAction = formAction('manage', 'endpoint.update', async (form) => {
  const { id } = idSchema.parse({ id: form.get('id') });
  const saved = await updateEndpoint(id, await endpointInput(form));
  return savedAndTested(id, 'Saved', saved);
});

export const testEndpointAction = formAction('manage', 'endpoint.test', async (form) => {
  const { id } = idSchema.parse(Object.fromEntries(form));
  const connection = await endpointConnection(id);
  const probe = await testConnection(connection);
  await recordTest(id, probe);
  revalidatePath('/settings');
  // An engine's error names the engine already.
  return { ok: probe.ok, message: probe.message.startsWith(connection.name) ? probe.message : `${connection.name}: ${probe.message}` };
});

export const removeEndpointAction = formAction('manage', 'endpoint.remove', async (form) => {
  const { id } = idSchema.parse(Object.fromEntries(form));
  await removeEndpoint(id);
  revalidatePath('/', 'layout');
  return { ok: true, message: 'Endpoint removed.' };
});

export const createTokenAction = formAction('manage', 'token.create', async (form) => {
  const input = tokenInputSchema.parse({ name: form.get('name'), scopes: form.getAll('scopes'), expiresInDays: form.get('expiresInDays') ?? 0 });
  const created = await createApiToken({ name: input.name, scopes: input.scopes, expiresAt: tokenExpiry(input.expiresInDays) });
  revalidatePath('/settings');
  return { ok: true, message: `Token "${created.name}" created. Copy it now: it is shown only once.`, secret: created.token };
});

export const revokeTokenAction = formAction('manage', 'token.revoke', async (form) => {
  const { id } = idSchema.parse(Object.fromEntries(form));
  await revokeApiToken(id);
  revalidatePath('/settings');
  return { ok: true, message: 'Token revoked.' };
});

export const importPublicKeyAction = formAction('manage', 'key.import', async (form, user) => {
  const { armored } = publicKeyImportSchema.parse({ armored: (await fileText(form, 'keyFile')) ?? form.get('armored') ?? '' });
  const key = await importPublicKey(armored, user.username);
  revalidatePath('/settings');
  return { ok: true, message: `Imported ${key.userIds[0] ?? 'the key'} (${key.fingerprint}): backups can now be encrypted to it.` };
});

export const removePublicKeyAction = formAction('manage', 'key.remove', async (form) => {
  const { id } = idSchema.parse(Object.fromEntries(form));
  await removePublicKey(id);
  revalidatePath('/settings');
  return { ok: true, message: 'Key removed. Backups already encrypted to it still open with its private key.' };
});

export const createWebhookAction = formAction('manage', 'webhook.add', async (form, user) => {
  const { url } = webhookInputSchema.parse(Object.fromEntries(form));
  const created = await createWebhook(url, user.username);
  revalidatePath('/settings');
  return { ok: true, message: `Webhook added. Copy its signing secret now: it is shown only once.`, secret: created.secret };
});

export const removeWebhookAction = formAction('manage', 'webhook.remove', async (form) => {
  const { id } = idSchema.parse(Object.fromEntries(form));
  await removeWebhook(id);
  revalidatePath('/settings');
  return { ok: true, message: 'Webhook removed, with its queued deliveries.' };
});

export const saveAlertSettingsAction = formAction('manage', 'settings.alerts', async (form) => {
  const thresholds = alertSettingsSchema.parse(Object.fromEntries(form));
  await setBackupAgeThresholds(thresholds);
  revalidatePath('/', 'layout');
  return { ok: true, message: `Amber after ${thresholds.warnAfterHours} h without a good backup; red, and reported, after ${thresholds.noGoodBackupHours} h.` };
});
