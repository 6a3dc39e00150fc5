import { Field, Input } from '@/components/ui/field';
import { ROLES } from '@/lib/auth/permissions';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password-rule';

/** Under the user name of the new-user form: the role, and a password (or one generated). */
export function NewUserFields() {
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <label className="block text-sm">
        <span className="font-medium text-slate-800">Role</span>
        <select name="role" defaultValue="viewer" className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <Field label="Password" hint={`At least ${MIN_PASSWORD_LENGTH} characters; empty: one is generated and shown once.`}>
        <Input name="password" type="password" autoComplete="new-password" />
      </Field>
    </div>
  );
}
