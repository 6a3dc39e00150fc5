import { refusalFor, type Grantee, type Permission } from '@/lib/auth/permissions';
import { Card } from '@/components/ui/card';

/** A page the signed-in user's role does not open: says so, and who can help. */
export function NotAllowed({ user, permission }: { user: Grantee; permission: Permission }) {
  const reason = refusalFor(user, permission);
  return (
    <Card>
      <h1 className="mb-1 text-lg font-semibold">Not allowed</h1>
      <p className="text-sm text-slate-700">{reason.charAt(0).toUpperCase() + reason.slice(1)}. An admin can change your role on the Users page.</p>
    </Card>
  );
}
