import { apiRoute } from '@/lib/api/route';
import { auditCsvStream } from '@/lib/audit/audit-csv';
import { listAudit } from '@/lib/audit/audit-log';
import { auditFilterSchema } from '@/lib/validations/audit';

// GET /api/v1/audit?actor=&action=&result=&from=YYYY-MM-DD&to=YYYY-MM-DD[&format=csv] – the audit log, newest
// first: the last 500 as JSON, or every match as a CSV download (streamed).
export const GET = apiRoute('manage', async (request) => {
  const query = Object.fromEntries(request.nextUrl.searchParams);
  const filter = auditFilterSchema.parse(query);
  if (query.format === 'csv') {
    return new Response(auditCsvStream(filter), {
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="lifeboat-audit.csv"', 'Cache-Control': 'no-store' },
    });
  }
  const events = await listAudit(filter, 500);
  return Response.json({ events: events.map((e) => ({ ...e, at: e.at.toISOString() })) });
});
