import type { LogEvent } from '../../../formats/types.js';
import type { K8sObject } from '../../../k8s/types.js';
import type { Stamp } from '../../../correlate/types.js';
import type { EvidenceRef } from '../../types.js';
import { compareText, compareTime } from '../../../util/compare.js';

/** Evidence pointing at a log line: file:line, its time and the line as read. */
export const eventEvidence = (event: LogEvent): EvidenceRef => ({
  file: event.file,
  line: event.line,
  time: event.time,
  text: event.raw,
});

/** Evidence pointing at an object's first line in its yamls/ List, with a one-line description of what it shows. */
export const objectEvidence = (object: K8sObject, text: string, time: number | null = null): EvidenceRef => ({
  file: object.file,
  line: object.line,
  time,
  text,
});

/** The evidence a Stamp of the upgrade story already carries, with the stamp's time. */
export const stampEvidence = (stamp: Stamp): EvidenceRef => ({ ...stamp.source, time: stamp.time });

/** Total order on evidence: time (unknown last), then file, then line. */
export const compareEvidence = (a: EvidenceRef, b: EvidenceRef): number =>
  compareTime(a.time, b.time) || compareText(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0);
