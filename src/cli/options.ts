import { DateTime } from 'luxon';
import { InvalidArgumentError } from 'commander';
import { isKnownZone } from '../formats/year-anchor.js';
import { SEVERITIES, type Severity } from '../rules/types.js';

/** Option parsers for commander: each turns a flag's text into a value or a usage error (exit 2). */

export const parseSeverity = (value: string): Severity => {
  if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  throw new InvalidArgumentError(`expected one of ${SEVERITIES.join(', ')}`);
};

export const parseZone = (value: string): string => {
  if (isKnownZone(value)) return value;
  throw new InvalidArgumentError('expected an IANA time zone such as UTC or Europe/Berlin');
};

/** An ISO-8601 time; without a zone it is read as UTC. */
export const parseTime = (value: string): number => {
  const parsed = DateTime.fromISO(value, { zone: 'UTC' });
  if (!parsed.isValid) throw new InvalidArgumentError('expected an ISO-8601 time such as 2025-06-14T12:00:00Z');
  return parsed.toMillis();
};

export const parsePositiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
};

/** Sizes like 1048576, 512k, 64M, 2G. */
export const parseSize = (value: string): number => {
  const match = /^(\d+)([kKmMgG]?)$/.exec(value);
  if (!match) throw new InvalidArgumentError('expected a size such as 1048576, 512k, 64M or 2G');
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(match[1]) * unit;
};

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
