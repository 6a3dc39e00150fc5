import 'server-only';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { AuditFilter } from '@/lib/validations/audit';

export type AuditResult = 'ok' | 'refused' | 'failed';

export type AuditEntry = { actor: string; address: string; action: string; target?: string | null; result: AuditResult; detail?: string | null };

export type AuditEventView = AuditEntry & { id: number; at: Date };

const MAX_TEXT = 500;
const clip = (text: string | null | undefined) => (text == null ? null : text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);

/**
 * The one way into the audit log: an insert (the database refuses updates and deletes). A failure to
 * record is said in the server log; it does not undo what was done.
 */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  try {
    await db.auditEvent.create({
      data: { actor: clip(entry.actor)!, address: entry.address, action: entry.action, target: clip(entry.target), result: entry.result, detail: clip(entry.detail) },
    });
  } catch (error) {
    console.error(`lifeboat: the audit log could not record ${entry.action} by ${entry.actor}:`, error);
  }
}

function where(filter: AuditFilter): Prisma.AuditEventWhereInput {
  return {
    ...(filter.actor ? { actor: { contains: filter.actor } } : {}),
    ...(filter.action ? { action: { contains: filter.action } } : {}),
    ...(filter.result ? { result: filter.result } : {}),
    ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
}

/** The newest events that match, newest first. */
export async function listAudit(filter: AuditFilter, limit = 200): Promise<AuditEventView[]> {
  const rows = await db.auditEvent.findMany({ where: where(filter), orderBy: { id: 'desc' }, take: limit });
  return rows.map((r) => ({ ...r, result: r.result as AuditResult }));
}

/** Every event that matches, newest first, a page at a time: an export of any length is never held whole. */
export async function* auditEvents(filter: AuditFilter, pageSize = 500): AsyncGenerator<AuditEventView> {
  let before: number | undefined;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { ...where(filter), ...(before ? { id: { lt: before } } : {}) }, orderBy: { id: 'desc' }, take: pageSize });
    for (const r of rows) yield { ...r, result: r.result as AuditResult };
    if (rows.length < pageSize) return;
    before = rows[rows.length - 1].id;
  }
}
