/**
 * An annotated fixture log (Semgrep style). Lines starting with `# ` (or a lone `#`) are fixture comments, removed
 * before parsing; log line numbers count only the remaining lines, as a bundle member would have them.
 *
 *   # member: logs/harvester-system/virt-handler-k49lw/virt-handler.log   the bundle path the lines are read as
 *   # anchor: 2025-07-03T01:15:45Z                                        year anchor for year-less times
 *   # zone: Europe/Berlin                                                 zone of zone-less times (default UTC)
 *   # expect: rule-id[, rule-id]                                          the next log line is cited by a finding
 *   # ok: rule-id[, rule-id]                                              the next log line is not
 */
export interface FixtureAnnotation {
  kind: 'expect' | 'ok';
  ruleId: string;
  /** Line of the annotation in the fixture file. */
  fixtureLine: number;
  /** Line of the annotated log line in the member, after comments are removed. */
  memberLine: number;
}

export interface FixtureMember {
  /** Path of the fixture file. */
  file: string;
  /** The bundle member path its lines are parsed as. */
  memberPath: string;
  lines: string[];
  /** Fixture file line of each member line (index = member line - 1). */
  fixtureLines: number[];
  annotations: FixtureAnnotation[];
  anchorMs: number | null;
  zone: string | null;
  problems: { line: number; message: string }[];
}

const COMMENT = /^#(?: |$)/;
const DIRECTIVE = /^# (expect|ok|member|anchor|zone):\s*(.*?)\s*$/;

export function parseFixture(file: string, text: string, defaultMemberPath: string): FixtureMember {
  const fixture: FixtureMember = {
    file,
    memberPath: defaultMemberPath,
    lines: [],
    fixtureLines: [],
    annotations: [],
    anchorMs: null,
    zone: null,
    problems: [],
  };
  const rawLines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (rawLines.at(-1) === '') rawLines.pop();
  let pending: { kind: 'expect' | 'ok'; ruleId: string; fixtureLine: number }[] = [];

  rawLines.forEach((line, index) => {
    const fixtureLine = index + 1;
    if (!COMMENT.test(line)) {
      fixture.lines.push(line);
      fixture.fixtureLines.push(fixtureLine);
      for (const annotation of pending) fixture.annotations.push({ ...annotation, memberLine: fixture.lines.length });
      pending = [];
      return;
    }
    const directive = DIRECTIVE.exec(line);
    if (!directive) return;
    const [, name, value] = directive;
    if (name === 'expect' || name === 'ok') {
      const ids = value.split(/[\s,]+/).filter(Boolean);
      if (ids.length === 0) fixture.problems.push({ line: fixtureLine, message: `"# ${name}:" names no rule` });
      for (const ruleId of ids) pending.push({ kind: name, ruleId, fixtureLine });
    } else if (fixture.lines.length > 0) {
      fixture.problems.push({ line: fixtureLine, message: `"# ${name}:" must come before the first log line` });
    } else if (name === 'member') fixture.memberPath = value;
    else if (name === 'zone') fixture.zone = value;
    else {
      const anchorMs = Date.parse(value);
      if (Number.isNaN(anchorMs)) fixture.problems.push({ line: fixtureLine, message: `"# anchor:" needs an ISO-8601 time, not "${value}"` });
      else fixture.anchorMs = anchorMs;
    }
  });
  for (const annotation of pending) {
    fixture.problems.push({ line: annotation.fixtureLine, message: `"# ${annotation.kind}: ${annotation.ruleId}" is not followed by a log line` });
  }
  return fixture;
}
