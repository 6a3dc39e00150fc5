import { apiRoute } from '@/lib/api/route';
import { renderMetrics } from '@/lib/metrics/prometheus';

// GET /api/v1/metrics – Prometheus text format: each node's last good backup, failures, running jobs.
export const GET = apiRoute('read', async () => {
  const { contentType, body } = await renderMetrics();
  return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
});
