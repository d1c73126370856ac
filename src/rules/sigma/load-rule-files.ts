import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { RuleModule } from '../types.js';
import { compareText } from '../../util/compare.js';
import { correlationRule } from './correlation.js';
import { type CompiledDetection, compileDetection, detectionRule } from './detection.js';
import { type ReadDocument, type RuleLoadError, readRuleDocument } from './read-document.js';
import { setRuleOrigin } from './rule-origin.js';
import type { CorrelationDocument, DetectionDocument } from './spec.js';

export type { RuleLoadError } from './read-document.js';

export interface LoadedRules {
  /** The rules that compiled, sorted by id. Callers must refuse to run when `errors` is not empty. */
  rules: RuleModule[];
  /** Every problem of every file, by file and line. */
  errors: RuleLoadError[];
}

export interface LoadOptions {
  /** Ids already taken (the built-in rules). */
  reservedIds?: Iterable<string>;
}

/**
 * Loads declarative rules from YAML files (a directory stands for its `*.yaml` / `*.yml` files, not recursing, so
 * `fixtures/` beside them is not read). One rule per document; several documents per file are fine.
 */
export function loadRuleFiles(paths: readonly string[], options: LoadOptions = {}): LoadedRules {
  const sources: { file: string; text: string }[] = [];
  const errors: RuleLoadError[] = [];
  for (const path of paths) {
    let files: string[];
    try {
      files = statSync(path).isDirectory()
        ? readdirSync(path)
            .filter((name) => /\.ya?ml$/.test(name))
            .sort(compareText)
            .map((name) => join(path, name))
        : [path];
    } catch (error) {
      errors.push({ file: path, line: 1, message: `cannot read: ${(error as Error).message}` });
      continue;
    }
    for (const file of files) {
      try {
        sources.push({ file, text: readFileSync(file, 'utf8') });
      } catch (error) {
        errors.push({ file, line: 1, message: `cannot read: ${(error as Error).message}` });
      }
    }
  }
  const loaded = loadRuleSources(sources, options);
  return { rules: loaded.rules, errors: sortErrors([...errors, ...loaded.errors]) };
}

/** The pure part of loadRuleFiles: rule files given as text. */
export function loadRuleSources(sources: readonly { file: string; text: string }[], options: LoadOptions = {}): LoadedRules {
  const errors: RuleLoadError[] = [];
  const read: ReadDocument[] = [];
  for (const { file, text } of sources) {
    const lines = new LineCounter();
    for (const document of parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })) {
      if (document.errors.length > 0) {
        for (const error of document.errors) errors.push({ file, line: lines.linePos(error.pos[0]).line, message: error.message });
        continue;
      }
      if (document.contents === null) continue; // an empty document, e.g. after a trailing `---`
      read.push(readRuleDocument(document, file, text, lines, errors));
    }
  }
  const documents = read.flatMap((result) => (result.rule ? [result.rule] : []));

  const reserved = new Set(options.reservedIds ?? []);
  const fail = (file: string, line: number, message: string): void => void errors.push({ file, line, message });
  const byId = new Map<string, DetectionDocument | CorrelationDocument>();
  for (const document of documents) {
    const first = byId.get(document.id);
    if (reserved.has(document.id)) {
      fail(document.file, document.line, `id "${document.id}" is already used by a built-in rule`);
    } else if (first) {
      fail(document.file, document.line, `duplicate id "${document.id}" (first at ${first.file}:${first.line})`);
    } else byId.set(document.id, document);
  }

  // References are checked for every correlation, valid or not, against every document that named an id.
  const kinds = new Map<string, ReadDocument['kind']>();
  for (const result of read) if (result.id !== null && !kinds.has(result.id)) kinds.set(result.id, result.kind);
  for (const result of read) {
    if (result.kind !== 'correlation') continue;
    for (const reference of result.references) {
      const kind = kinds.get(reference.id);
      if (kind === 'correlation') {
        fail(result.file, reference.line, `"${reference.id}" is a correlation; correlations relate detection rules only`);
      } else if (kind === undefined) {
        fail(result.file, reference.line, `unknown rule "${reference.id}"`);
      }
    }
  }

  const detections = new Map<string, CompiledDetection>();
  const rules: RuleModule[] = [];
  for (const document of byId.values()) {
    if (document.kind !== 'detection') continue;
    const detection = compileDetection(document);
    detections.set(document.id, detection);
    rules.push(withOrigin(detectionRule(detection), document));
  }
  for (const document of byId.values()) {
    if (document.kind !== 'correlation') continue;
    const bases = document.rules.map((reference) => detections.get(reference.id));
    if (bases.every((base) => base !== undefined)) rules.push(withOrigin(correlationRule(document, bases), document));
  }

  return { rules: rules.sort((a, b) => compareText(a.id, b.id)), errors: sortErrors(errors) };
}

function withOrigin(rule: RuleModule, document: DetectionDocument | CorrelationDocument): RuleModule {
  setRuleOrigin(rule, { file: document.file, line: document.line, kind: document.kind, source: document.source });
  return rule;
}

const sortErrors = (errors: RuleLoadError[]): RuleLoadError[] =>
  errors.sort((a, b) => compareText(a.file, b.file) || a.line - b.line || compareText(a.message, b.message));
