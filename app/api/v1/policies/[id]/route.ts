import { toPolicyJson } from '@/lib/api/policy-json';
import { jsonBody } from '@/lib/api/json-body';
import { apiRoute } from '@/lib/api/route';
import { LifeboatError } from '@/lib/errors';
import { editPolicy } from '@/lib/policies/policy-edit';
import { deletePolicy, getPolicy } from '@/lib/policies/policy-store';
import { policyInputSchema } from '@/lib/validations/policy';

// GET /api/v1/policies/{id}
export const GET = apiRoute<{ id: string }>('read', async (_request, { params }) => Response.json(toPolicyJson(await getPolicy(params.id))));

// PUT /api/v1/policies/{id} – replaces the policy's settings (the same body as POST /api/v1/policies). A new
// retention that prunes archives now answers 409 with what it prunes and a token: the same body with
// "confirmPrune": "<token>" saves it.
export const PUT = apiRoute<{ id: string }>('manage', async (request, { params }) => {
  const body = await jsonBody(request);
  const input = policyInputSchema.parse(body);
  const edit = await editPolicy(params.id, input, confirmPruneOf(body));
  if ('preview' in edit) {
    const { token, prune } = edit.preview;
    const list = prune.map((v) => `${v.node} ${v.startedAt.toISOString()} (${v.why})`).join(', ');
    throw new LifeboatError('conflict', `this retention prunes ${prune.length} archive(s) now: ${list}; send the same body with "confirmPrune": "${token}" to save it`);
  }
  return Response.json({ ...toPolicyJson(edit.saved), pruned: edit.pruned });
});

function confirmPruneOf(body: unknown) {
  const value = (body as { confirmPrune?: unknown } | null)?.confirmPrune;
  return typeof value === 'string' ? value : null;
}

// DELETE /api/v1/policies/{id} – its backups stay in the history.
export const DELETE = apiRoute<{ id: string }>('manage', async (_request, { params }) => {
  await deletePolicy(params.id);
  return new Response(null, { status: 204 });
});
