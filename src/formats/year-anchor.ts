import { DateTime, Info, type Zone } from 'luxon';
import { MS_PER_HOUR, yearlessMonth, yearlessToWallMs, type YearlessTime } from './fast-time.js';
import type { TimeContext } from './types.js';

/**
 * The year of a year-less line in `month` (1-12): the anchor's year, or the year before when the month lies
 * after the anchor's month (a bundle made in January holds December lines of the previous year).
 * `anchorMs` is read on the wall clock the month comes from (UTC for UTC logs).
 */
export function inferYear(month: number, anchorMs: number): number {
  const anchor = new Date(anchorMs);
  return yearBefore(month, anchor.getUTCFullYear(), anchor.getUTCMonth() + 1);
}

function yearBefore(month: number, anchorYear: number, anchorMonth: number): number {
  return month > anchorMonth ? anchorYear - 1 : anchorYear;
}

/** Turns the zone-less and year-less times of one log into UTC. */
export interface WallClock {
  /** UTC epoch ms of a wall time of the context's zone, given as if it were UTC. */
  wallToUtc(wallMs: number): number;
  /** UTC epoch ms of a year-less wall time; null without an anchor, or for a date the inferred year lacks. */
  yearlessToUtc(time: YearlessTime): number | null;
}

/** Throws a RangeError for a zone luxon does not know; check user input with `isKnownZone` first. */
export function createWallClock(context: TimeContext): WallClock {
  const offsets = zoneOffsets(context.zone);
  const wallToUtc = (wallMs: number): number => wallMs - offsets.atWall(wallMs) * 60_000;
  if (context.anchorMs === null) return { wallToUtc, yearlessToUtc: () => null };

  const anchorWall = new Date(context.anchorMs + offsets.atInstant(context.anchorMs) * 60_000);
  const anchorYear = anchorWall.getUTCFullYear();
  const anchorMonth = anchorWall.getUTCMonth() + 1;
  return {
    wallToUtc,
    yearlessToUtc(time) {
      const wall = yearlessToWallMs(time, yearBefore(yearlessMonth(time), anchorYear, anchorMonth));
      return wall === null ? null : wallToUtc(wall);
    },
  };
}

/** An IANA zone name, `UTC` or a fixed offset luxon understands (`UTC+2`); never the machine's own zone. */
export function isKnownZone(name: string): boolean {
  return resolveZone(name) !== null;
}

function resolveZone(name: string): Zone | null {
  if (name.trim() === '') return null;
  const zone = Info.normalizeZone(name);
  return zone.isValid && zone.type !== 'system' ? zone : null;
}

interface ZoneOffsets {
  /** Offset in minutes at a wall time (given as if UTC). */
  atWall(wallMs: number): number;
  /** Offset in minutes at a UTC instant. */
  atInstant(utcMs: number): number;
}

/** Wall-hour → offset caches per zone, shared by all files (offsets change on hour boundaries). */
const offsetCaches = new Map<string, Map<number, number>>();
const MAX_CACHED_HOURS = 100_000;

function zoneOffsets(name: string): ZoneOffsets {
  const zone = resolveZone(name);
  if (zone === null) throw new RangeError(`unknown time zone: ${JSON.stringify(name)}`);
  if (zone.isUniversal) {
    const fixed = zone.offset(0);
    return { atWall: () => fixed, atInstant: () => fixed };
  }
  let cache = offsetCaches.get(name);
  if (cache === undefined) {
    cache = new Map();
    offsetCaches.set(name, cache);
  }
  const hours = cache;
  return {
    atWall(wallMs) {
      const hour = Math.floor(wallMs / MS_PER_HOUR);
      let offset = hours.get(hour);
      if (offset === undefined) {
        offset = wallHourOffset(zone, hour * MS_PER_HOUR);
        if (hours.size >= MAX_CACHED_HOURS) hours.clear();
        hours.set(hour, offset);
      }
      return offset;
    },
    atInstant: (utcMs) => zone.offset(utcMs),
  };
}

function wallHourOffset(zone: Zone, wallMs: number): number {
  const wall = new Date(wallMs);
  const local = DateTime.fromObject(
    { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours() },
    { zone },
  );
  return local.isValid ? local.offset : zone.offset(wallMs);
}
