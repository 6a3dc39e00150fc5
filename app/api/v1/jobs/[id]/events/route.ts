import { apiRoute } from '@/lib/api/route';
import { jobEvents } from '@/lib/jobs/job-events';

// GET /api/v1/jobs/{id}/events – a running backup's, restore's or verification's progress, pushed (text/event-stream).
export const GET = apiRoute<{ id: string }>('read', async (request, { params }) => {
  return new Response(jobEvents(params.id, request.signal), {
    // no-transform: a compressing layer would hold the events back.
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' },
  });
});
