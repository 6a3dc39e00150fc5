import 'server-only';
import { auditEvents, type AuditEventView } from './audit-log';
import type { AuditFilter } from '@/lib/validations/audit';

const COLUMNS = ['at', 'actor', 'address', 'action', 'target', 'result', 'detail'] as const;

/** A CSV field: quoted when it must be, and never read as a formula by a spreadsheet. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvLine(event: AuditEventView): string {
  const values: Record<(typeof COLUMNS)[number], string> = {
    at: event.at.toISOString(),
    actor: event.actor,
    address: event.address,
    action: event.action,
    target: event.target ?? '',
    result: event.result,
    detail: event.detail ?? '',
  };
  return COLUMNS.map((c) => csvField(values[c])).join(',') + '\r\n';
}

/** The matching events as CSV, streamed (a page of rows at a time, with back-pressure). */
export function auditCsvStream(filter: AuditFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const events = auditEvents(filter);
  let headerSent = false;
  return new ReadableStream({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(COLUMNS.join(',') + '\r\n'));
        return;
      }
      const next = await events.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(csvLine(next.value)));
    },
    async cancel() {
      await events.return(undefined);
    },
  });
}
