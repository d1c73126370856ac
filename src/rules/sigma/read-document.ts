import { type Document, type LineCounter, type Node as YamlNode, isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { MemberKind } from '../../bundle/types.js';
import { SEVERITIES, type Severity } from '../types.js';
import { ConditionError, conditionLiterals, parseCondition } from './condition.js';
import { globToRegExp } from './glob.js';
import { bestLiteralSet } from './regex-literal.js';
import { type CompiledSelection, type FieldSpec, type SelectionSpec, compileSelection } from './selection.js';
import type { CorrelationDocument, CorrelationType, DetectionDocument, Logsource, RuleDocument } from './spec.js';

export interface RuleLoadError {
  file: string;
  line: number;
  message: string;
}

const COMMON_KEYS = [
  'title', 'id', 'status', 'description', 'level', 'falsepositives', 'remediation', 'references', 'tags',
  'message', 'subject', 'node',
];
const DETECTION_KEYS = new Set([...COMMON_KEYS, 'logsource', 'detection', 'fields']);
const CORRELATION_KEYS = new Set([...COMMON_KEYS, 'correlation']);
const LOGSOURCE_KEYS = new Set(['component', 'file', 'kind']);
const CORRELATION_BODY_KEYS = new Set(['type', 'rules', 'group-by', 'timespan', 'condition']);
const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];
const CORRELATION_TYPES: readonly CorrelationType[] = ['temporal_ordered', 'event_count', 'absence'];
const MEMBER_KINDS: readonly MemberKind[] = [
  'pod-log', 'node-journal', 'kernel-log', 'node-log', 'node-table', 'yaml-list', 'metadata', 'generation-errors', 'alerts',
  'node-config', 'nested-archive', 'log', 'unknown',
];
const RESERVED_SELECTION_NAMES = new Set(['and', 'or', 'not', 'of', 'all', 'them', 'condition']);
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SELECTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME = /^[A-Za-z_][\w.-]*$/;

interface Entry {
  node: YamlNode | null;
  line: number;
}

export interface ReadDocument {
  /** The validated rule; null when the document has any error. */
  rule: DetectionDocument | CorrelationDocument | null;
  file: string;
  id: string | null;
  kind: 'detection' | 'correlation';
  /** A correlation's rule references, read even when the document has other errors so they are checked too. */
  references: { id: string; line: number }[];
}

/** Validates one YAML document into a rule document, adding every problem found to `errors`. */
export function readRuleDocument(
  document: Document.Parsed,
  file: string,
  text: string,
  lines: LineCounter,
  errors: RuleLoadError[],
): ReadDocument {
  const errorCount = errors.length;
  const references: { id: string; line: number }[] = [];
  const lineOf = (node: YamlNode | null | undefined, fallback: number): number =>
    node?.range ? lines.linePos(node.range[0]).line : fallback;
  const fail = (line: number, message: string): null => {
    errors.push({ file, line, message });
    return null;
  };

  const contents = document.contents;
  const top = readMap(contents, 'a rule document', lineOf(contents, 1));
  if (top === null) return { rule: null, file, id: null, kind: 'detection', references };
  const docLine = lineOf(contents, 1);
  const isCorrelation = top.has('correlation');
  if (isCorrelation && (top.has('detection') || top.has('logsource'))) {
    fail(docLine, 'a document is either a detection rule (detection) or a correlation (correlation), not both');
  }
  if (!isCorrelation && !top.has('detection')) fail(docLine, 'a rule document needs "detection" (or "correlation")');
  const allowed = isCorrelation ? CORRELATION_KEYS : DETECTION_KEYS;
  for (const [key, entry] of top) {
    if (!allowed.has(key)) fail(entry.line, `unknown key "${key}"${isCorrelation && DETECTION_KEYS.has(key) ? ' in a correlation' : ''}`);
  }

  const required = (key: string): Entry | null => top.get(key) ?? fail(docLine, `missing "${key}"`);
  const id = readString(required('id'), 'id');
  if (id !== null && !ID.test(id)) fail(top.get('id')!.line, `id "${id}" must be kebab-case (a-z, 0-9, single dashes)`);
  const title = readString(required('title'), 'title');
  const description = readString(required('description'), 'description');
  const levelEntry = required('level');
  const level = readString(levelEntry, 'level');
  if (level !== null && !SEVERITIES.includes(level as Severity)) fail(levelEntry!.line, `level must be one of ${SEVERITIES.join(', ')}`);
  const statusEntry = top.get('status');
  const status = statusEntry ? readString(statusEntry, 'status') : null;
  if (status !== null && !STATUSES.includes(status)) fail(statusEntry!.line, `status must be one of ${STATUSES.join(', ')}`);
  const optionalString = (key: string): string | null => {
    const entry = top.get(key);
    return entry ? readString(entry, key) : null;
  };
  const optionalList = (key: string): string[] => {
    const entry = top.get(key);
    return entry ? (readStringList(entry, key) ?? []) : [];
  };

  const common: RuleDocument = {
    // Only read once the document is known to be valid (see `result`).
    id: id!,
    title: title!,
    description: description!,
    level: level as Severity,
    status,
    falsePositives: optionalList('falsepositives'),
    remediation: optionalString('remediation') ?? '',
    references: optionalList('references'),
    tags: optionalList('tags'),
    message: optionalString('message'),
    subject: optionalString('subject'),
    node: optionalString('node'),
    file,
    line: top.get('id')?.line ?? docLine,
    source: contents?.range ? text.slice(contents.range[0], contents.range[2]).trimEnd() : '',
  };

  const result = (rule: ReadDocument['rule']): ReadDocument => ({
    rule: errors.length > errorCount ? null : rule,
    file,
    id,
    kind: isCorrelation ? 'correlation' : 'detection',
    references,
  });

  if (isCorrelation) {
    const body = readCorrelation(top.get('correlation')!);
    return result(body && { ...common, kind: 'correlation', ...body });
  }

  const logsourceEntry = top.get('logsource');
  const logsource = logsourceEntry ? readLogsource(logsourceEntry) : { components: null, files: null, kinds: null };
  const fields = optionalList('fields');
  for (const name of fields) if (!NAME.test(name)) fail(top.get('fields')!.line, `invalid field name "${name}"`);
  const detection = top.has('detection') ? readDetection(top.get('detection')!) : null;
  if (detection === null || logsource === null) return result(null);
  return result({ ...common, kind: 'detection', logsource, fields, ...detection });

  // --- typed readers; each reports its own problems ---

  function readMap(node: YamlNode | null | undefined, what: string, line: number): Map<string, Entry> | null {
    if (isAlias(node)) return fail(line, `${what}: YAML aliases are not supported`);
    if (!isMap(node)) return fail(line, `${what} must be a map`);
    const map = new Map<string, Entry>();
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const keyLine = lineOf(keyNode, line);
      if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
        fail(keyLine, `${what}: keys must be strings`);
        continue;
      }
      map.set(keyNode.value, { node: (pair.value as YamlNode | null) ?? null, line: keyLine });
    }
    return map;
  }

  function readString(entry: Entry | null, what: string): string | null {
    if (entry === null) return null;
    if (!isScalar(entry.node) || typeof entry.node.value !== 'string' || entry.node.value.trim() === '') {
      return fail(entry.line, `${what} must be a non-empty string`);
    }
    return entry.node.value;
  }

  /** A string or a list of strings. */
  function readStringList(entry: Entry, what: string): string[] | null {
    if (isScalar(entry.node) && typeof entry.node.value === 'string') return [entry.node.value];
    if (!isSeq(entry.node)) return fail(entry.line, `${what} must be a string or a list of strings`);
    const values: string[] = [];
    for (const item of entry.node.items as YamlNode[]) {
      if (!isScalar(item) || typeof item.value !== 'string') return fail(lineOf(item, entry.line), `${what}: every item must be a string`);
      values.push(item.value);
    }
    return values;
  }

  function readLogsource(entry: Entry): Logsource | null {
    const map = readMap(entry.node, 'logsource', entry.line);
    if (map === null) return null;
    let ok = true;
    for (const [key, value] of map) {
      if (!LOGSOURCE_KEYS.has(key)) ok = fail(value.line, `unknown key "${key}" in logsource (use component, file, kind)`) ?? false;
    }
    const list = (key: string): string[] | null => {
      const value = map.get(key);
      if (!value) return null;
      const items = readStringList(value, `logsource.${key}`);
      if (items === null) ok = false;
      return items;
    };
    const components = list('component');
    const fileGlobs = list('file');
    const kinds = list('kind');
    for (const kind of kinds ?? []) {
      if (!MEMBER_KINDS.includes(kind as MemberKind)) ok = fail(map.get('kind')!.line, `unknown member kind "${kind}" (one of ${MEMBER_KINDS.join(', ')})`) ?? false;
    }
    const files: { glob: string; regex: RegExp }[] = [];
    for (const glob of fileGlobs ?? []) {
      try {
        files.push({ glob, regex: globToRegExp(glob) });
      } catch {
        ok = fail(map.get('file')!.line, `invalid file glob "${glob}"`) ?? false;
      }
    }
    if (!ok) return null;
    return { components, files: fileGlobs === null ? null : files, kinds: kinds as MemberKind[] | null };
  }

  function readDetection(entry: Entry): Pick<DetectionDocument, 'selections' | 'condition' | 'literals'> | null {
    const map = readMap(entry.node, 'detection', entry.line);
    if (map === null) return null;
    const selections = new Map<string, CompiledSelection>();
    const names: string[] = [];
    let ok = true;
    for (const [name, value] of map) {
      if (name === 'condition') continue;
      names.push(name);
      if (!SELECTION_NAME.test(name) || RESERVED_SELECTION_NAMES.has(name)) {
        ok = fail(value.line, `invalid selection name "${name}" (letters, digits, _; not a condition keyword)`) ?? false;
        continue;
      }
      const spec = readSelection(name, value);
      const compiled = spec && compileSelection(spec, (line, message) => fail(line, `selection "${name}": ${message}`));
      if (compiled) selections.set(name, compiled);
      else ok = false;
    }
    if (names.length === 0) return fail(entry.line, 'detection needs at least one selection');
    const conditionEntry = map.get('condition');
    if (!conditionEntry) return fail(entry.line, 'detection needs a "condition"');
    const conditionText = readString(conditionEntry, 'condition');
    if (conditionText === null) return null;
    let condition;
    try {
      condition = parseCondition(conditionText, names);
    } catch (error) {
      if (!(error instanceof ConditionError)) throw error;
      return fail(conditionEntry.line, error.message);
    }
    if (!ok) return null;
    const literals = conditionLiterals(condition, (name) => selections.get(name)!.literals, bestLiteralSet);
    if (literals === null) {
      return fail(
        conditionEntry.line,
        'no literal for the prefilter: every line the rule matches must contain a known text; give a selection a ' +
          'message or raw value with |contains, |startswith, |endswith, an exact value, or a |re with a literal part',
      );
    }
    return { selections, condition, literals };
  }

  function readSelection(name: string, entry: Entry): SelectionSpec | null {
    const node = entry.node;
    if (isMap(node)) {
      const fields = readFieldMap(node, entry.line);
      return fields && { kind: 'maps', maps: [fields] };
    }
    if (isSeq(node) && node.items.length > 0) {
      const items = node.items as YamlNode[];
      if (items.every((item) => isMap(item))) {
        const maps = items.map((item) => readFieldMap(item, lineOf(item, entry.line)));
        return maps.every((map) => map !== null) ? { kind: 'maps', maps: maps as FieldSpec[][] } : null;
      }
      if (items.every((item) => isScalar(item) && typeof item.value === 'string')) {
        return { kind: 'keywords', values: items.map((item) => (item as { value: string }).value), line: entry.line };
      }
    }
    return fail(entry.line, `selection "${name}" must be a map of fields, a list of such maps, or a list of keywords`);
  }

  function readFieldMap(node: YamlNode | null, line: number): FieldSpec[] | null {
    const map = readMap(node, 'a selection', line);
    if (map === null) return null;
    if (map.size === 0) return fail(line, 'a selection map needs at least one field');
    const fields: FieldSpec[] = [];
    for (const [key, value] of map) {
      const items = isSeq(value.node) ? (value.node.items as YamlNode[]) : [value.node];
      const values: (string | null)[] = [];
      for (const item of items) {
        const scalar = item === null ? null : isScalar(item) ? item.value : undefined;
        if (scalar === null || typeof scalar === 'string' || typeof scalar === 'number' || typeof scalar === 'boolean') {
          values.push(scalar === null ? null : String(scalar));
        } else {
          fail(lineOf(item, value.line), `"${key}": values must be strings, numbers, booleans or null`);
          return null;
        }
      }
      fields.push({ key, values, line: value.line });
    }
    return fields;
  }

  function readCorrelation(entry: Entry): Pick<CorrelationDocument, 'type' | 'rules' | 'groupBy' | 'timespanMs' | 'timespan' | 'threshold'> | null {
    const map = readMap(entry.node, 'correlation', entry.line);
    if (map === null) return null;
    for (const [key, value] of map) {
      if (!CORRELATION_BODY_KEYS.has(key)) fail(value.line, `unknown key "${key}" in correlation (use type, rules, group-by, timespan, condition)`);
    }
    const typeEntry = map.get('type') ?? fail(entry.line, 'correlation needs a "type"');
    const type = readString(typeEntry, 'correlation.type') as CorrelationType | null;
    if (type !== null && !CORRELATION_TYPES.includes(type)) fail(typeEntry!.line, `correlation type must be one of ${CORRELATION_TYPES.join(', ')}`);

    const rulesEntry = map.get('rules') ?? fail(entry.line, 'correlation needs "rules"');
    const rules = references;
    if (rulesEntry) {
      const items = isSeq(rulesEntry.node) ? (rulesEntry.node.items as YamlNode[]) : [rulesEntry.node];
      for (const item of items) {
        if (!isScalar(item) || typeof item.value !== 'string') fail(lineOf(item, rulesEntry.line), 'correlation.rules: every item must be a rule id');
        else if (rules.some((rule) => rule.id === item.value)) fail(lineOf(item, rulesEntry.line), `correlation.rules: "${item.value}" is listed twice`);
        else rules.push({ id: item.value, line: lineOf(item, rulesEntry.line) });
      }
      const minimum = type === 'event_count' ? 1 : 2;
      if (type !== null && rules.length < minimum) {
        fail(rulesEntry.line, `${article(type)} ${type} correlation needs at least ${minimum} rule${minimum > 1 ? 's' : ''}`);
      }
    }

    const groupByEntry = map.get('group-by');
    const groupBy = groupByEntry ? (readStringList(groupByEntry, 'correlation.group-by') ?? []) : [];
    for (const name of groupBy) if (!NAME.test(name)) fail(groupByEntry!.line, `invalid group-by name "${name}"`);

    const timespanEntry = map.get('timespan') ?? fail(entry.line, 'correlation needs a "timespan" (e.g. 10m)');
    const timespan = readString(timespanEntry, 'correlation.timespan');
    const timespanMs = timespan === null ? null : parseTimespan(timespan);
    if (timespan !== null && timespanMs === null) fail(timespanEntry!.line, `timespan "${timespan}" must be a positive number with s, m, h or d (e.g. 90s, 10m, 2h)`);

    const conditionEntry = map.get('condition');
    let threshold: CorrelationDocument['threshold'] = null;
    if (type === 'event_count') {
      if (!conditionEntry) fail(entry.line, 'an event_count correlation needs a condition such as "gte: 10"');
      else threshold = readThreshold(conditionEntry);
    } else if (conditionEntry && type !== null && CORRELATION_TYPES.includes(type)) {
      fail(conditionEntry.line, `${article(type)} ${type} correlation takes no condition (only event_count does)`);
    }
    if (type === null || timespanMs === null || timespan === null) return null;
    return { type, rules, groupBy, timespanMs, timespan, threshold };
  }

  function readThreshold(entry: Entry): CorrelationDocument['threshold'] {
    const map = readMap(entry.node, 'correlation.condition', entry.line);
    if (map === null) return null;
    const [op, ...others] = [...map.keys()];
    if (others.length > 0 || (op !== 'gte' && op !== 'gt')) return fail(entry.line, 'correlation condition must be exactly one of "gte: N" or "gt: N"');
    const value = map.get(op)!;
    if (!isScalar(value.node) || typeof value.node.value !== 'number' || !Number.isInteger(value.node.value) || value.node.value < 1) {
      return fail(value.line, `correlation condition "${op}" needs a positive whole number`);
    }
    return { op, value: value.node.value };
  }
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseTimespan(text: string): number | null {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match || Number(match[1]) === 0) return null;
  return Number(match[1]) * UNIT_MS[match[2]];
}

const article = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a');
