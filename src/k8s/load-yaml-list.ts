import { LineCounter, isMap, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node, YAMLError } from 'yaml';
import type { K8sObject } from './types.js';

/** More parser errors than this in one file say nothing new; the rest are counted. */
const MAX_PROBLEMS = 5;

const NAMESPACED_PATH = /(?:^|\/)yamls\/namespaced\/([^/]+)\//;

/**
 * Reads a `yamls/**` file: one YAML document holding a Kubernetes `List` (support-bundle-kit output), or, gracefully,
 * a single object or several documents. Never throws: what cannot be read becomes a problem with its line.
 * A file cut off mid-way keeps the items before the cut.
 */
export function loadYamlList(text: string, file: string): { objects: K8sObject[]; problems: string[] } {
  const lineCounter = new LineCounter();
  const objects: K8sObject[] = [];
  const problems: string[] = [];
  const lineOf = (offset: number): number => Math.max(1, lineCounter.linePos(offset).line);
  const pathNamespace = NAMESPACED_PATH.exec(file)?.[1] ?? null;

  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: false }) as Document.Parsed[];
  } catch (error) {
    return { objects, problems: [`not readable as YAML: ${(error as Error).message}`] };
  }
  if (!Array.isArray(docs)) return { objects, problems: ['no YAML document'] };

  const errors: YAMLError[] = [];
  for (const doc of docs) {
    errors.push(...doc.errors);
    const contents = doc.contents;
    if (!contents) continue;
    if (!isMap(contents)) {
      problems.push(`line ${lineOf(contents.range[0])}: not a Kubernetes List or object`);
      continue;
    }
    const itemsNode = contents.get('items', true);
    if (isSeq(itemsNode)) {
      // Keys are sorted, so a complete List has `kind` after `items`; without it the file ends inside the items.
      const cutInsideItems = !contents.has('kind');
      const items = itemsNode.items as Node[];
      items.forEach((item, i) => {
        const start = item.range?.[0] ?? 0;
        const end = i + 1 < items.length ? (items[i + 1].range?.[0] ?? Infinity) : Infinity;
        const broken = doc.errors.some((e) => e.pos[0] >= start && e.pos[0] < end);
        const last = i === items.length - 1;
        if (broken || (last && cutInsideItems)) {
          problems.push(`line ${lineOf(start)}: item dropped, ${broken ? 'it does not parse' : 'the file ends inside it'}`);
          return;
        }
        const object = toObject(item.toJS(doc), file, lineOf(start), pathNamespace, problems);
        if (object) objects.push(object);
      });
      continue;
    }
    if (doc.errors.length > 0) continue;
    const object = toObject(contents.toJS(doc), file, lineOf(contents.range[0]), pathNamespace, problems);
    if (object) objects.push(object);
  }

  const errorLines = errors.map((e) => `line ${e.linePos?.[0].line ?? lineOf(e.pos[0])}: ${firstLine(e.message)}`);
  problems.unshift(...errorLines.slice(0, MAX_PROBLEMS));
  if (errorLines.length > MAX_PROBLEMS) problems.splice(MAX_PROBLEMS, 0, `${errorLines.length - MAX_PROBLEMS} more YAML errors`);
  return { objects, problems };
}

function toObject(
  value: unknown,
  file: string,
  line: number,
  pathNamespace: string | null,
  problems: string[],
): K8sObject | null {
  const raw = withoutNulls(value);
  if (raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`line ${line}: item is not an object`);
    return null;
  }
  const item = raw as Record<string, any>;
  const kind = typeof item.kind === 'string' ? item.kind : null;
  const name = typeof item.metadata?.name === 'string' ? item.metadata.name : null;
  if (!kind || !name) {
    problems.push(`line ${line}: item without ${kind ? 'metadata.name' : 'kind'}`);
    return null;
  }
  const namespace = typeof item.metadata.namespace === 'string' ? item.metadata.namespace : pathNamespace;
  return {
    apiVersion: typeof item.apiVersion === 'string' ? item.apiVersion : '',
    kind,
    namespace,
    name,
    raw: item,
    file,
    line,
  };
}

/** Maps whose keys carry meaning even with an empty value. */
const KEYED_MAPS = new Set(['labels', 'annotations']);

const isEmpty = (v: unknown): boolean => v === null || v === 'null' || v === '';

/**
 * support-bundle-kit writes empty strings and many nulls as the string `"null"`: all three mean "absent" and are
 * removed recursively (keys from maps, elements from lists). Label and annotation keys are kept with an empty value,
 * because there the key itself is the information (`node-role.kubernetes.io/worker: ""`).
 */
function withoutNulls(value: unknown, keyedMap = false): unknown {
  if (isEmpty(value)) return undefined;
  if (Array.isArray(value)) return value.map((v) => withoutNulls(v)).filter((v) => v !== undefined);
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const cleaned = keyedMap && isEmpty(v) ? '' : withoutNulls(v, KEYED_MAPS.has(k));
    if (cleaned === undefined) continue;
    // A `__proto__` key must stay data, never become the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: cleaned, writable: true, enumerable: true, configurable: true });
    else out[k] = cleaned;
  }
  return out;
}

function firstLine(message: string): string {
  const line = message.split('\n', 1)[0];
  return line.replace(/ at line \d+, column \d+:?$/, '');
}
