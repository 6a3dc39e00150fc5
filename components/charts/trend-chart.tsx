import { extent, linear } from './scale';
import { plural } from '@/lib/plural';

export type TrendPoint = { at: Date; value: number; label: string };

const WIDTH = 320;
const HEIGHT = 96;
const PAD = { top: 8, right: 8, bottom: 18, left: 8 };

/**
 * One quantity over time as a line with a dot per backup (hand-made SVG: no script, no inline style, so
 * it lives with the CSP; its colours are the theme's). Each dot names its backup and value on hover.
 */
export function TrendChart({ title, points, format }: { title: string; points: TrendPoint[]; format: (value: number) => string }) {
  if (points.length === 0) return null;
  const x = linear(
    extent(
      points.map((p) => p.at.getTime()),
      false,
    ),
    [PAD.left, WIDTH - PAD.right],
  );
  const y = linear(extent(points.map((p) => p.value)), [HEIGHT - PAD.bottom, PAD.top]);
  const latest = points[points.length - 1];
  const peak = Math.max(...points.map((p) => p.value));
  const summary = `${title}: ${plural(points.length, 'backup')}, latest ${format(latest.value)}, highest ${format(peak)}`;
  return (
    <figure className="min-w-0">
      <figcaption className="flex justify-between text-xs text-slate-600">
        <span className="font-medium text-slate-800">{title}</span>
        <span>latest {format(latest.value)}</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} className="mt-1 h-24 w-full">
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={HEIGHT - PAD.bottom} y2={HEIGHT - PAD.bottom} className="stroke-slate-300" />
        <polyline points={points.map((p) => `${x(p.at.getTime())},${y(p.value)}`).join(' ')} fill="none" strokeWidth={1.5} className="stroke-sky-600" />
        {points.map((p) => (
          <circle key={p.at.getTime()} cx={x(p.at.getTime())} cy={y(p.value)} r={2.5} className="fill-sky-700">
            <title>{`${p.label}: ${format(p.value)}`}</title>
          </circle>
        ))}
        <text x={PAD.left} y={HEIGHT - 4} className="fill-slate-600 text-[10px]">
          {points[0].at.toISOString().slice(0, 10)}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 4} textAnchor="end" className="fill-slate-600 text-[10px]">
          {latest.at.toISOString().slice(0, 10)}
        </text>
      </svg>
    </figure>
  );
}
