import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';

/** The audit log's filters: a plain GET form, so a filtered view is a link that can be shared. */
export function AuditFilters({ values, csvHref }: { values: Record<string, string>; csvHref: string }) {
  return (
    <form method="get" aria-label="Filter the audit log" className="flex flex-wrap items-end gap-3">
      <Field label="Who">
        <Input name="actor" defaultValue={values.actor} placeholder="user:admin" />
      </Field>
      <Field label="What">
        <Input name="action" defaultValue={values.action} placeholder="login, restore, DELETE" />
      </Field>
      <label className="block text-sm">
        <span className="font-medium text-slate-800">Result</span>
        <select name="result" defaultValue={values.result ?? ''} className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5 text-sm">
          <option value="">any</option>
          <option value="ok">ok</option>
          <option value="refused">refused</option>
          <option value="failed">failed</option>
        </select>
      </label>
      <Field label="From (UTC day)">
        <Input name="from" type="date" defaultValue={values.from} />
      </Field>
      <Field label="To (UTC day)">
        <Input name="to" type="date" defaultValue={values.to} />
      </Field>
      <Button type="submit">Filter</Button>
      <a href={csvHref} className="text-sm font-medium text-sky-800 hover:underline">
        Download CSV
      </a>
    </form>
  );
}
