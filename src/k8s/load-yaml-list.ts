import { CORE_SCHEMA, load } from 'js-yaml';
import type { K8sObject } from './types.js';

/** More problems than this in one file say nothing new; the rest are counted. */
const MAX_PROBLEMS = 5;
/** A file that is not a support-bundle List is parsed whole; larger than this it is refused, not buffered. */
const MAX_FALLBACK_CHARS = 64 * 1024 * 1024;

const NAMESPACED_PATH = /(?:^|\/)yamls\/namespaced\/([^/]+)\//;
const YAML_OPTIONS = { schema: CORE_SCHEMA, json: true } as const;

export interface YamlListReader {
  /** One line of the file, without its line break; line numbers are 1-based. */
  line(raw: string, lineNo: number): void;
  /** Ends the file: flushes the last item and returns the problems found. */
  end(): string[];
}

/**
 * Reads a `yamls/**` file line by line. support-bundle-kit writes one `List` document with yaml.v2: sorted keys, so
 * `items:` at column 0 followed by items each starting with `- ` at column 0, then `kind: List`. Each item is parsed
 * on its own as soon as it is complete, so a file of any size needs the memory of one item, every object knows the
 * line it starts on, and a file cut off mid-way keeps every item before the cut. Anything else (a single object,
 * several documents, kubectl output that is not a List) is parsed whole. Never throws: what cannot be read becomes
 * a problem with its line. Bulk data goes through js-yaml's core schema (an order of magnitude faster than a
 * position-keeping parser, and no implicit timestamps).
 */
export function createYamlListReader(file: string, onObject: (object: K8sObject) => void): YamlListReader {
  const pathNamespace = NAMESPACED_PATH.exec(file)?.[1] ?? null;
  const strings = createStringTable();
  const problems: string[] = [];
  let problemCount = 0;
  const problem = (text: string): void => {
    if (++problemCount <= MAX_PROBLEMS) problems.push(text);
  };
  let mode: 'head' | 'items' | 'tail' | 'whole' = 'head';
  let head: string[] = [];
  let headChars = 0;
  let item: string[] = [];
  let itemLine = 0;

  const emit = (value: unknown, line: number): void => {
    const object = toObject(value, file, line, pathNamespace, strings);
    if (typeof object === 'string') problem(`line ${line}: ${object}`);
    else onObject(object);
  };

  const flushItem = (): void => {
    if (item.length === 0) return;
    try {
      emit(load(item.join('\n'), YAML_OPTIONS), itemLine);
    } catch (error) {
      problem(`line ${itemLine}: item dropped, it does not parse: ${firstLine((error as Error).message)}`);
    }
    item = [];
  };

  /** Not a support-bundle List: each `---` document parsed whole, its items (or itself) cited at its first line. */
  const parseWhole = (): void => {
    let start = 0;
    for (let i = 0; i <= head.length; i++) {
      if (i < head.length && !head[i].startsWith('---')) continue;
      const text = head.slice(start, i).join('\n');
      const line = start + 1;
      start = i + 1;
      if (text.trim() === '') continue;
      try {
        const doc = load(text, YAML_OPTIONS);
        const items = (doc as { items?: unknown } | null)?.items;
        if (Array.isArray(items)) for (const entry of items) emit(entry, line);
        else if (doc !== null && doc !== undefined) emit(doc, line);
      } catch (error) {
        problem(`line ${line}: not readable as YAML: ${firstLine((error as Error).message)}`);
      }
    }
  };

  return {
    line(raw, lineNo) {
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (mode === 'items') {
        if (text.startsWith('- ') || text === '-') {
          flushItem();
          item = [`  ${text.slice(2)}`];
          itemLine = lineNo;
        } else if (text === '' || text.startsWith(' ')) {
          if (item.length > 0) item.push(text);
        } else {
          flushItem();
          mode = 'tail';
        }
        return;
      }
      if (mode === 'tail') return;
      if (mode === 'head' && (text === 'items:' || text.startsWith('items: '))) {
        mode = text === 'items:' ? 'items' : 'whole';
        if (mode === 'items') {
          head = [];
          return;
        }
      }
      if (mode === 'head' && head.length === 0 && text !== '' && !/^[a-zA-Z_"'-]/.test(text)) mode = 'whole';
      headChars += text.length + 1;
      if (headChars > MAX_FALLBACK_CHARS) {
        problem(`not a support-bundle List and larger than ${MAX_FALLBACK_CHARS} characters: not read`);
        mode = 'tail';
        head = [];
        return;
      }
      head.push(text);
    },
    end() {
      if (mode === 'items') {
        if (item.length > 0) problem(`line ${itemLine}: item dropped, the file ends inside it`);
        item = [];
      } else if (mode !== 'tail' && head.some((l) => l.trim() !== '')) {
        parseWhole();
      }
      if (problemCount > MAX_PROBLEMS) problems.push(`${problemCount - MAX_PROBLEMS} more YAML problems`);
      return problems;
    },
  };
}

/** Reads a whole `yamls/**` text (tests, small files): the same as feeding its lines to a reader. */
export function loadYamlList(text: string, file: string): { objects: K8sObject[]; problems: string[] } {
  const objects: K8sObject[] = [];
  const reader = createYamlListReader(file, (o) => objects.push(o));
  text.split('\n').forEach((line, i) => reader.line(line, i + 1));
  return { objects, problems: reader.end() };
}

function toObject(value: unknown, file: string, line: number, pathNamespace: string | null, strings: StringTable): K8sObject | string {
  let raw: unknown;
  try {
    raw = withoutNulls(withoutBookkeeping(value), strings);
  } catch (error) {
    return `item dropped: ${(error as Error).message}`;
  }
  if (raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) return 'item is not an object';
  const item = raw as Record<string, any>;
  const kind = typeof item.kind === 'string' ? item.kind : null;
  const name = typeof item.metadata?.name === 'string' ? item.metadata.name : null;
  if (!kind || !name) return `item without ${kind ? 'metadata.name' : 'kind'}`;
  const namespace = typeof item.metadata.namespace === 'string' ? item.metadata.namespace : pathNamespace;
  return { apiVersion: typeof item.apiVersion === 'string' ? item.apiVersion : '', kind, namespace, name, raw: item, file, line };
}

/**
 * Server-side bookkeeping no verdict reads, often most of a real object's bytes: field managers and the
 * `kubectl apply` copy of the object. Dropped before the item is kept, so memory stays bounded by what matters.
 */
function withoutBookkeeping(value: unknown): unknown {
  const metadata = (value as { metadata?: unknown } | null)?.metadata;
  if (metadata === null || typeof metadata !== 'object') return value;
  delete (metadata as Record<string, unknown>).managedFields;
  const annotations = (metadata as { annotations?: unknown }).annotations;
  if (annotations !== null && typeof annotations === 'object') delete (annotations as Record<string, unknown>)[LAST_APPLIED];
  return value;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Maps whose keys carry meaning even with an empty value. */
const KEYED_MAPS = new Set(['labels', 'annotations']);

const isEmpty = (v: unknown): boolean => v === null || v === 'null' || v === '';

/**
 * support-bundle-kit writes empty strings and many nulls as the string `"null"`: all three mean "absent" and are
 * removed recursively (keys from maps, elements from lists). Label and annotation keys are kept with an empty value,
 * because there the key itself is the information (`node-role.kubernetes.io/worker: ""`).
 */
function withoutNulls(value: unknown, strings: StringTable, keyedMap = false, seen = new Set<object>()): unknown {
  if (isEmpty(value)) return undefined;
  if (typeof value === 'string') return strings(value);
  if (typeof value !== 'object') return value;
  // js-yaml shares the node of an alias; expanding a nest of them would exhaust memory (support-bundle-kit never writes any)
  if (seen.has(value as object)) throw new Error('YAML aliases are not supported');
  seen.add(value as object);
  if (Array.isArray(value)) return value.map((v) => withoutNulls(v, strings, false, seen)).filter((v) => v !== undefined);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const cleaned = keyedMap && isEmpty(v) ? '' : withoutNulls(v, strings, KEYED_MAPS.has(k), seen);
    if (cleaned === undefined) continue;
    // A `__proto__` key must stay data, never become the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: cleaned, writable: true, enumerable: true, configurable: true });
    else out[k] = cleaned;
  }
  return out;
}

/**
 * One copy of each distinct string of a file's objects. js-yaml's strings are slices of the item's text, and V8 keeps
 * a slice's whole parent alive, so kept objects would hold every item's YAML source; and the same namespaces, node
 * names and times recur in thousands of objects. Strings shorter than 13 characters are copies already.
 */
function createStringTable(): StringTable {
  const copies = new Map<string, string>();
  return (text) => {
    let copy = copies.get(text);
    if (copy === undefined) {
      copy = text.length < 13 ? text : ` ${text}`.slice(1);
      copies.set(copy, copy);
    }
    return copy;
  };
}

type StringTable = (text: string) => string;

const firstLine = (message: string): string => message.split('\n', 1)[0];
