import { toPolicyRunJson } from '@/lib/api/policy-json';
import { apiRoute } from '@/lib/api/route';
import { getPolicy, listPolicyRuns } from '@/lib/policies/policy-store';
import { runPolicyNow } from '@/lib/policies/scheduler';

// GET /api/v1/policies/{id}/runs – its latest runs, newest first, each with the backups it made.
export const GET = apiRoute<{ id: string }>('read', async (_request, { params }) => {
  await getPolicy(params.id);
  return Response.json({ runs: (await listPolicyRuns(params.id, 20)).map(toPolicyRunJson) });
});

// POST /api/v1/policies/{id}/runs – "Run now": 202 with the run; follow it with GET.
export const POST = apiRoute<{ id: string }>('run-policy', async (_request, { params, principal }) =>
  Response.json(toPolicyRunJson(await runPolicyNow(params.id, `${principal.kind}:${principal.name}`)), { status: 202 }),
);
