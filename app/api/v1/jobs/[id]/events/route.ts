import { authenticate } from '@/lib/api/authenticate';
import { apiRoute } from '@/lib/api/route';
import { authorize } from '@/lib/auth/permissions';
import { jobEvents } from '@/lib/jobs/job-events';

// GET /api/v1/jobs/{id}/events – a running backup's, restore's or verification's progress, pushed (text/event-stream).
export const GET = apiRoute<{ id: string }>('read', async (request, { params }) => {
  // Asked again while the stream runs: a session signed out or a token revoked meanwhile ends it.
  const stillAllowed = async () => {
    try {
      authorize(await authenticate(request), 'read');
      return true;
    } catch {
      return false;
    }
  };
  return new Response(jobEvents(params.id, request.signal, { stillAllowed }), {
    // no-transform: a compressing layer would hold the events back.
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' },
  });
});
