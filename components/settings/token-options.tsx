import { TOKEN_EXPIRY_DAYS } from '@/lib/validations/token';

const SCOPE_LABELS = [
  { value: 'read', label: 'read', hint: 'lists, details and metrics' },
  { value: 'backup', label: 'backup', hint: 'back up, verify and download' },
  { value: 'restore', label: 'restore', hint: 'restore and verify' },
  { value: 'admin', label: 'admin', hint: 'everything' },
];

/** The scopes and expiry of a new API token: read only, and 90 days, unless chosen otherwise. */
export function TokenOptions() {
  return (
    <div className="flex flex-wrap items-start gap-6 text-sm">
      <fieldset>
        <legend className="font-medium text-slate-800">Scopes</legend>
        {SCOPE_LABELS.map((s) => (
          <label key={s.value} className="mt-1 flex items-center gap-2">
            <input type="checkbox" name="scopes" value={s.value} defaultChecked={s.value === 'read'} />
            <span>
              {s.label} <span className="text-slate-500">({s.hint})</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label className="block">
        <span className="font-medium text-slate-800">Expires</span>
        <select name="expiresInDays" defaultValue="90" className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5 text-sm">
          {TOKEN_EXPIRY_DAYS.map((days) => (
            <option key={days} value={days}>
              {days === 0 ? 'never' : `in ${days} days`}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
