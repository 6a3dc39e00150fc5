import { toRestoreJson } from '@/lib/api/restore-json';
import { apiRoute } from '@/lib/api/route';
import { getRestore } from '@/lib/history/restore-history';

// GET /api/v1/restores/{id} – one restore or dry run, with its verification report.
export const GET = apiRoute<{ id: string }>('read', async (_request, { params }) => Response.json(toRestoreJson(await getRestore(params.id))));
