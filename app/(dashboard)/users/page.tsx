import type { Metadata } from 'next';
import { NotAllowed } from '@/components/auth/not-allowed';
import { SecretOnceForm } from '@/components/settings/secret-once-form';
import { NewUserFields } from '@/components/users/new-user-fields';
import { RoleForm } from '@/components/users/role-form';
import { ActionButton } from '@/components/ui/action-button';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { formatTime } from '@/components/ui/format';
import { Table } from '@/components/ui/table';
import { can } from '@/lib/auth/permissions';
import { requireUser } from '@/lib/auth/session';
import { listUsers } from '@/lib/auth/user-admin';
import { changeRoleAction, createUserAction, resetPasswordAction, setDisabledAction } from './actions';

export const metadata: Metadata = { title: 'Users' };

const columns = [{ label: 'User' }, { label: 'Role' }, { label: 'Since' }, { label: 'Account' }];

export default async function UsersPage() {
  const me = await requireUser();
  if (!can(me, 'manage')) return <NotAllowed user={me} permission="manage" />;
  const users = await listUsers();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Users</h1>
        <p className="mt-1 text-sm text-slate-600">
          <strong>admin</strong>: everything. <strong>operator</strong>: back up, restore, verify, download and run policies. <strong>viewer</strong>: nodes, volumes and history
          only.
        </p>
      </div>
      <Card>
        <Table columns={columns}>
          {users.map((u) => (
            <tr key={u.id} data-user={u.username} className="border-t border-slate-100 align-top">
              <td className="py-2 pr-3 font-medium">
                {u.username} {u.id === me.id && <Badge>you</Badge>} {u.disabled && <Badge tone="bad">disabled</Badge>}
              </td>
              <td className="py-2 pr-3">
                <RoleForm id={u.id} username={u.username} role={u.role} action={changeRoleAction} />
              </td>
              <td className="py-2 pr-3 text-xs text-slate-600">{formatTime(u.createdAt)}</td>
              <td className="space-y-1 py-2">
                {u.id !== me.id && (
                  <ActionButton
                    action={setDisabledAction}
                    fields={{ id: u.id, disabled: String(!u.disabled) }}
                    label={u.disabled ? 'Enable' : 'Disable'}
                    pendingLabel="Saving…"
                    variant={u.disabled ? 'secondary' : 'danger'}
                  />
                )}
                <ActionButton
                  action={resetPasswordAction}
                  fields={{ id: u.id }}
                  label="Reset password"
                  pendingLabel="Resetting…"
                  confirm={`Give ${u.username} a new password? They are signed out everywhere.`}
                />
              </td>
            </tr>
          ))}
        </Table>
      </Card>
      <Card>
        <CardTitle>New user</CardTitle>
        <SecretOnceForm
          action={createUserAction}
          formLabel="Add a user"
          field={{ name: 'username', label: 'User name', placeholder: 'jane' }}
          submit={{ label: 'Add user', pending: 'Adding…' }}
        >
          <NewUserFields />
        </SecretOnceForm>
      </Card>
    </div>
  );
}
