import { Cron } from 'croner';

/**
 * When a policy runs: a five-field cron expression read in an IANA time zone. croner applies the zone's
 * daylight-saving rules: a time the clocks skip runs once, at the first minute after the jump, and a time
 * they repeat runs once, the first time; an interval ("every 30 minutes") keeps to real time across both.
 */
export type Schedule = { cron: string; timeZone: string };

/** Business hours in the schedule's zone: ISO weekdays (1 Monday … 7 Sunday), minutes from midnight. */
export type BusinessHours = { days: number[]; start: number; end: number };

export const DEFAULT_BUSINESS_HOURS: BusinessHours = { days: [1, 2, 3, 4, 5], start: 8 * 60, end: 18 * 60 };

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Why a schedule cannot be used, by field; null when it can. */
export function scheduleProblem(schedule: Schedule): { field: 'cron' | 'timeZone'; message: string } | null {
  if (!isTimeZone(schedule.timeZone)) return { field: 'timeZone', message: `"${schedule.timeZone}" is not a time zone: give an IANA name such as Europe/Berlin or UTC` };
  const fields = schedule.cron.trim().split(/\s+/);
  if (fields.length !== 5)
    return { field: 'cron', message: `a cron expression has five fields (minute hour day-of-month month day-of-week); "${schedule.cron}" has ${fields.length}` };
  let cron: Cron;
  try {
    cron = cronOf(schedule);
  } catch (error) {
    return { field: 'cron', message: `"${schedule.cron}" is not a cron expression Lifeboat can read: ${(error as Error).message}` };
  }
  if (!cron.nextRun()) return { field: 'cron', message: `"${schedule.cron}" never runs` };
  return null;
}

export function isTimeZone(zone: string) {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The next `count` runs after `from`. */
export function nextRuns(schedule: Schedule, count: number, from = new Date()): Date[] {
  return cronOf(schedule).nextRuns(count, from);
}

/** The first `limit` runs in (`after`, `until`], oldest first. */
export function runsBetween(schedule: Schedule, after: Date, until: Date, limit = 10_000): Date[] {
  const cron = cronOf(schedule);
  const runs: Date[] = [];
  for (let next = cron.nextRun(after); next && next <= until && runs.length < limit; next = cron.nextRun(next)) runs.push(next);
  return runs;
}

/** Missed runs counted one by one up to here; a longer outage says "at least" this many. */
export const MISSED_COUNT_LIMIT = 10_000;

/**
 * What the scheduler owes a policy at `now`: the newest run due since `after`, whether it is on time
 * (due within `graceMs`; else every due run was missed while no server ran), and how many earlier ones
 * were missed (at most MISSED_COUNT_LIMIT). Null when nothing is due.
 */
export function dueRun(schedule: Schedule, after: Date, now: Date, graceMs: number): { scheduledFor: Date; onTime: boolean; missedBefore: number } | null {
  const cron = cronOf(schedule);
  const [scheduledFor] = cron.previousRuns(1, new Date(now.getTime() + 1));
  if (!scheduledFor || scheduledFor <= after) return null;
  let missedBefore = 0;
  for (let next = cron.nextRun(after); next && next < scheduledFor && missedBefore < MISSED_COUNT_LIMIT; next = cron.nextRun(next)) missedBefore += 1;
  return { scheduledFor, onTime: now.getTime() - scheduledFor.getTime() <= graceMs, missedBefore };
}

/** The weekday (1 Monday … 7 Sunday) and minute of the day that `at` is in `timeZone`. */
export function wallClock(at: Date, timeZone: string): { weekday: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return { weekday: WEEKDAYS.indexOf(part('weekday')) + 1, minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

export function insideBusinessHours(at: Date, timeZone: string, hours: BusinessHours) {
  const { weekday, minutes } = wallClock(at, timeZone);
  return hours.days.includes(weekday) && minutes >= hours.start && minutes < hours.end;
}

/** Of the coming week's runs (the first 2000 of them), those inside business hours. */
export function runsInBusinessHours(schedule: Schedule, hours: BusinessHours, from = new Date()): Date[] {
  const weekLater = new Date(from.getTime() + 7 * 86_400_000);
  return runsBetween(schedule, from, weekLater, 2000).filter((at) => insideBusinessHours(at, schedule.timeZone, hours));
}

/** "Mon–Fri 08:00–18:00" */
export function describeBusinessHours(hours: BusinessHours) {
  const days = [...hours.days].sort();
  const contiguous = days.every((d, i) => i === 0 || d === days[i - 1] + 1);
  const dayText =
    days.length === 0 ? 'no day' : contiguous && days.length > 2 ? `${WEEKDAYS[days[0] - 1]}–${WEEKDAYS[days.at(-1)! - 1]}` : days.map((d) => WEEKDAYS[d - 1]).join(', ');
  return `${dayText} ${clockText(hours.start)}–${clockText(hours.end)}`;
}

/** 480 -> "08:00" */
export function clockText(minutes: number) {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "08:00" -> 480; null when it is no time of day ("24:00" is the end of one). */
export function minutesOf(clock: string): number | null {
  const match = /^([01]?\d|2[0-4]):([0-5]\d)$/.exec(clock.trim());
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : null;
}

function cronOf(schedule: Schedule) {
  return new Cron(schedule.cron.trim(), { timezone: schedule.timeZone, paused: true });
}
