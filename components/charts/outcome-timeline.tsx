import { linear } from './scale';

export type DayOutcomes = { day: string; good: number; warn: number; bad: number };

const WIDTH = 640;
const HEIGHT = 80;
const BOTTOM = 16;

/** Backups per day, stacked by outcome (succeeded, needed a hand or skipped, failed): where the history went wrong, at a glance. */
export function OutcomeTimeline({ days }: { days: DayOutcomes[] }) {
  if (days.length === 0) return null;
  const most = Math.max(1, ...days.map((d) => d.good + d.warn + d.bad));
  const height = linear([0, most], [0, HEIGHT - BOTTOM - 4]);
  const slot = WIDTH / days.length;
  const totals = days.reduce((t, d) => ({ good: t.good + d.good, warn: t.warn + d.warn, bad: t.bad + d.bad }), { good: 0, warn: 0, bad: 0 });
  const summary = `Backups over the last ${days.length} days: ${totals.good} succeeded, ${totals.warn} needed a hand or were skipped, ${totals.bad} failed`;
  return (
    <figure>
      <figcaption className="flex flex-wrap gap-x-4 text-xs text-slate-600">
        <span className="font-medium text-slate-800">Last {days.length} days</span>
        <span>
          <span aria-hidden className="mr-1 inline-block h-2 w-2 rounded-sm bg-emerald-600" />
          {totals.good} succeeded
        </span>
        <span>
          <span aria-hidden className="mr-1 inline-block h-2 w-2 rounded-sm bg-amber-500" />
          {totals.warn} warning or skipped
        </span>
        <span>
          <span aria-hidden className="mr-1 inline-block h-2 w-2 rounded-sm bg-red-600" />
          {totals.bad} failed
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} className="mt-1 h-20 w-full" preserveAspectRatio="none">
        {days.map((d, i) => {
          const base = HEIGHT - BOTTOM;
          const bars = [
            { n: d.good, className: 'fill-emerald-600' },
            { n: d.warn, className: 'fill-amber-500' },
            { n: d.bad, className: 'fill-red-600' },
          ];
          let top = base;
          return (
            <g key={d.day} data-day={d.day}>
              <title>{`${d.day}: ${d.good} succeeded, ${d.warn} warning or skipped, ${d.bad} failed`}</title>
              <rect x={i * slot} y={0} width={slot} height={base} className="fill-transparent" />
              {bars.map((b) => {
                if (b.n === 0) return null;
                const h = height(b.n);
                top -= h;
                return <rect key={b.className} x={i * slot + slot * 0.15} y={top} width={slot * 0.7} height={h} className={b.className} />;
              })}
            </g>
          );
        })}
        <line x1={0} x2={WIDTH} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} className="stroke-slate-300" />
      </svg>
    </figure>
  );
}
