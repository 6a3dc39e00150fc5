import { toPolicyJson } from '@/lib/api/policy-json';
import { apiRoute } from '@/lib/api/route';
import { jsonBody } from '@/lib/api/json-body';
import { createPolicy, listPolicies } from '@/lib/policies/policy-store';
import { policyInputSchema } from '@/lib/validations/policy';

// GET /api/v1/policies – every policy, with its next three runs.
export const GET = apiRoute('read', async () => Response.json({ policies: (await listPolicies()).map(toPolicyJson) }));

// POST /api/v1/policies – creates a policy: { name, cron, timeZone, target, node?, keys: [fingerprint], … }.
export const POST = apiRoute('manage', async (request, { principal }) => {
  const input = policyInputSchema.parse(await jsonBody(request));
  return Response.json(toPolicyJson(await createPolicy(input, `${principal.kind}:${principal.name}`)), { status: 201 });
});
