import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { renderJson } from '../../src/report/render-json.js';
import type { PostmortemReport } from '../../src/report/model.js';
import { postmortemReport, readinessReport } from './fixture-report.js';

const schema = JSON.parse(readFileSync(new URL('../../schema/report.v1.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

const parse = (report: PostmortemReport): Record<string, any> => JSON.parse(renderJson(report));
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('renderJson', () => {
  it('renders documents the v1 schema accepts, in both modes', () => {
    for (const report of [postmortemReport(), readinessReport()]) {
      const document = parse(report);
      expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('keeps a fixed key order, 2-space indent and a trailing newline', () => {
    const text = renderJson(postmortemReport());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
    const document = JSON.parse(text);
    expect(Object.keys(document)).toEqual([
      'schemaVersion', 'tool', 'generatedAt', 'mode', 'bundle', 'upgrade', 'findings', 'incidents', 'timeline', 'clockSkew', 'coverage',
    ]);
    expect(Object.keys(document.bundle)).toEqual([
      'path', 'kind', 'packing', 'name', 'clusterId', 'createdAt', 'kubernetesVersion', 'harvesterVersion', 'nodes',
    ]);
    expect(Object.keys(document.upgrade)).toEqual([
      'name', 'fromVersion', 'toVersion', 'state', 'startedAt', 'finishedAt', 'durationSeconds', 'startedBy', 'phases', 'nodes',
    ]);
    expect(Object.keys(document.upgrade.nodes[0])).toEqual([
      'name', 'state', 'imagesPreloadedAt', 'preDrainStartedAt', 'preDrainFinishedAt', 'rke2UpgradedAt',
      'postDrainStartedAt', 'postDrainFinishedAt', 'rebootedAt', 'succeededAt',
    ]);
    expect(Object.keys(document.findings[0])).toEqual([
      'id', 'ruleId', 'severity', 'title', 'message', 'node', 'subject', 'firstSeen', 'lastSeen', 'count', 'remediation',
      'evidence', 'evidenceTotal', 'fields',
    ]);
    expect(Object.keys(document.incidents[0])).toEqual([
      'id', 'title', 'severity', 'start', 'end', 'nodes', 'findingIds', 'verdict', 'verdictReason', 'chain',
    ]);
    expect(Object.keys(document.coverage)).toEqual([
      'files', 'lines', 'linesParsed', 'linesWithTime', 'byFormat', 'unreadable', 'gaps', 'limitsHit', 'ruleFailures',
    ]);
    expect(Object.keys(document.coverage.byFormat)).toEqual([...Object.keys(document.coverage.byFormat)].sort());
  });

  it('prints times as ISO-8601 UTC with ms, unknown ones as null', () => {
    const document = parse(postmortemReport());
    expect(document.generatedAt).toBe('2025-06-13T08:00:00.000Z');
    expect(document.upgrade.startedAt).toBe('2025-06-12T13:02:11.000Z');
    const node1 = document.upgrade.nodes.find((n: { name: string }) => n.name === 'harvester-node-1');
    expect(node1.preDrainStartedAt).toBeNull();
    expect(node1.rke2UpgradedAt).toBe('2025-06-12T14:12:47.000Z');
    for (const entry of document.timeline) expect(entry.time).toMatch(ISO_MS);
    const leftover = document.findings.find((f: { ruleId: string }) => f.ruleId === 'maintenance-mode-leftover');
    expect(leftover.firstSeen).toBeNull();
  });

  it('sorts findings most severe first, incidents likewise, nodes and timeline in a total order', () => {
    const document = parse(postmortemReport());
    expect(document.findings[0].ruleId).toBe('rke2-upgrade-without-pre-drain');
    expect(document.findings.at(-1).severity).toBe('informational');
    expect(document.incidents.map((i: { id: string }) => i.id)).toEqual(['INC-1', 'INC-2']);
    expect(document.upgrade.nodes.map((n: { name: string }) => n.name)).toEqual(['harvester-node-0', 'harvester-node-1', 'harvester-node-2']);
    const times = document.timeline.map((e: { time: string }) => e.time);
    expect(times).toEqual([...times].sort());
  });

  it('keeps the causal order of a chain and the evidence of its key events', () => {
    const chain = parse(postmortemReport()).incidents[0].chain;
    expect(chain.map((l: { relation: string }) => l.relation)).toEqual(['inferred', 'observed', 'observed', 'observed']);
    expect(chain[1].event).toMatchObject({
      kind: 'rke2-install',
      evidence: { file: 'nodes/harvester-node-1.zip!/harvester-node-1/logs/rancher-system-agent.log', line: 4812 },
    });
    expect(chain[0].event).toBeNull();
  });

  it('does not depend on the order of its input', () => {
    const report = postmortemReport();
    const reversed: PostmortemReport = {
      ...report,
      findings: [...report.findings].reverse(),
      incidents: [...report.incidents].reverse(),
      timeline: [...report.timeline].reverse(),
      upgrade: report.upgrade && { ...report.upgrade, nodes: [...report.upgrade.nodes].reverse() },
      coverage: { ...report.coverage, byFormat: Object.fromEntries(Object.entries(report.coverage.byFormat).reverse()) },
    };
    expect(renderJson(reversed)).toBe(renderJson(report));
    expect(renderJson(report)).toBe(renderJson(postmortemReport()));
  });

  it('renders a readiness report with upgrade null', () => {
    const document = parse(readinessReport());
    expect(document.mode).toBe('readiness');
    expect(document.upgrade).toBeNull();
    expect(document.incidents).toEqual([]);
  });

  it('has a schema that rejects unknown keys and malformed times', () => {
    const document = parse(postmortemReport());
    expect(validate({ ...document, extra: true })).toBe(false);
    expect(validate({ ...document, generatedAt: '2025-06-13T08:00:00Z' })).toBe(false);
    const finding = { ...document.findings[0], severity: 'fatal' };
    expect(validate({ ...document, findings: [finding] })).toBe(false);
    const chainLink = { ...document.incidents[0].chain[0], relation: 'guessed' };
    expect(validate({ ...document, incidents: [{ ...document.incidents[0], chain: [chainLink] }] })).toBe(false);
  });
});
