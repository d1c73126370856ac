import type { Finding } from '../rules/types.js';
import { compareText, compareTime } from '../util/compare.js';
import type { KeyEvent } from './types.js';

/** Key events in a total order: time, node, kind, summary, file, line. */
export const compareKeyEvents = (a: KeyEvent, b: KeyEvent): number =>
  a.time - b.time ||
  compareText(a.node, b.node) ||
  compareText(a.kind, b.kind) ||
  compareText(a.summary, b.summary) ||
  compareText(a.evidence.file, b.evidence.file) ||
  compareTime(a.evidence.line, b.evidence.line);

/** Findings by first sighting, then by their stable id. */
export const compareFindings = (a: Finding, b: Finding): number =>
  compareTime(a.firstSeen, b.firstSeen) || compareText(a.id, b.id);
