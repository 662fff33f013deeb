import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../harness/report/junit.ts';
import { visibleText } from '../../harness/report/escape.ts';
import { FAMILY_TITLES } from '../../harness/rules/catalog.ts';
import { BACKTICK_REPLAY, HOSTILE, HOSTILE_REPLAY, SAMPLE_RULES, certifiedReport, notCertifiedReport } from './sample-report.ts';
import { findAll, parseXml, textOf, type XmlElement } from './xml-check.ts';

function testcases(root: XmlElement): Map<string, XmlElement> {
  return new Map(findAll(root, 'testcase').map((tc) => [tc.attributes.name!.split(' ')[0]!, tc]));
}

function property(suite: XmlElement, name: string): string | undefined {
  return findAll(suite, 'property').find((p) => p.attributes.name === name)?.attributes.value;
}

describe('renderJunit', () => {
  it('certified: one testsuite per family, one passing testcase per rule', () => {
    const report = certifiedReport();
    const root = parseXml(renderJunit(report));
    expect(root.name).toBe('testsuites');
    expect(report.rules).toHaveLength(SAMPLE_RULES.length);
    expect(root.attributes).toMatchObject({ name: 'wmpcert', tests: String(SAMPLE_RULES.length), failures: '0', skipped: '0', time: '12.345' });
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual([`DL — ${FAMILY_TITLES.DL}`, `LC — ${FAMILY_TITLES.LC}`]);
    const inFamily = (family: string) => report.rules.filter((rule) => rule.family === family);
    expect(suites.map((s) => s.attributes.tests)).toEqual([String(inFamily('DL').length), String(inFamily('LC').length)]);
    // Each suite holds exactly its family's rules, in report order.
    expect(suites.map((s) => findAll(s, 'testcase').map((tc) => tc.attributes.name!.split(' ')[0])))
      .toEqual([inFamily('DL').map((rule) => rule.id), inFamily('LC').map((rule) => rule.id)]);
    const cases = testcases(root);
    expect(cases.size).toBe(report.rules.length);
    for (const rule of report.rules) {
      const tc = cases.get(rule.id)!;
      expect(tc.attributes).toMatchObject({ classname: rule.family, name: `${rule.id} ${rule.statement}` });
      expect(tc.children).toEqual([]);
    }
    expect(property(suites[0]!, 'seed')).toBe('424242');
    expect(property(suites[0]!, 'runs')).toBe('100');
    expect(property(suites[0]!, 'candidate')).toBe('reference 1.0.0');
    expect(property(suites[0]!, 'verdict')).toBe('certified');
  });

  it('not certified: well-formed despite hostile strings, which stay visible', () => {
    const report = notCertifiedReport();
    const xml = renderJunit(report);
    const root = parseXml(xml);
    const count = (status: string) => String(report.rules.filter((rule) => rule.status === status).length);
    expect([count('failed'), count('skipped')]).toEqual(['2', '1']);
    expect(root.attributes).toMatchObject({ tests: String(report.rules.length), failures: count('failed'), skipped: count('skipped') });
    const cases = testcases(root);
    expect([...cases.keys()].sort()).toEqual(report.rules.map((r) => r.id).sort());

    const [failure] = findAll(cases.get('DL-02')!, 'failure');
    expect(failure!.attributes.type).toBe('required');
    expect(failure!.attributes.message).toBe(visibleText(report.rules.find((r) => r.id === 'DL-02')!.failure!.message));
    const text = textOf(failure!);
    expect(text).toContain(`Replay: ${visibleText(HOSTILE_REPLAY)}`);
    expect(text).toContain(visibleText(HOSTILE));
    expect(text).toContain('\\u0000');
    expect(text).toContain('\\ud800');
    expect(text).toContain('\\u001b[31m');
    // The shrunk scenario as pretty JSON: visibleText keeps it parseable and exact.
    const json = text.slice(text.indexOf('{\n'), text.indexOf('\n}\n') + 2);
    expect(JSON.parse(json)).toEqual(report.rules.find((r) => r.id === 'DL-02')!.failure!.counterexample.scenario);
    // Every trace event is listed, evidence marked.
    const trace = report.rules.find((r) => r.id === 'DL-02')!.failure!.trace;
    expect(text.split('\n').filter((line) => /^[* ] #\d+ \+\d+ ms /.test(line))).toHaveLength(trace.length);
    expect(text).toMatch(/^\* #\d+ \+\d+ ms plugin → player downloadTrack\(/m);
    // The harness stopping the candidate and broken wire messages are listed too, the candidate's bytes visible.
    expect(text).toMatch(/^  #\d+ \+\d+ ms harness stopped the candidate \(exited\): .*its stderr ends: "<\/script><img src=x onerror=alert\(1\)> nul:\\u0000 /m);
    expect(text).toMatch(/^  #\d+ \+\d+ ms wire protocol broken \(schema-invalid\): .*line: \{"jsonrpc":"2\.0","id":3,"result":\{"hr":"\\u0000"\}\}\\u001b\[2J$/m);

    // The raw markup exists only as entities in the file.
    expect(xml).not.toContain('<img');
    expect(xml).not.toContain('<b>');
    expect(xml).not.toMatch(/[\u0000\u001b\ud800]/);
  });

  it('a failed recommended rule is a failure of type "recommended" that says it does not block', () => {
    const root = parseXml(renderJunit(notCertifiedReport()));
    const [failure] = findAll(testcases(root).get('DL-14')!, 'failure');
    expect(failure!.attributes.type).toBe('recommended');
    expect(textOf(failure!)).toMatch(/^Recommended rule: reported, does not block certification\./);
    expect(textOf(failure!)).toContain(BACKTICK_REPLAY);
  });

  it('a skipped rule carries its reason', () => {
    const root = parseXml(renderJunit(notCertifiedReport()));
    const [skipped] = findAll(testcases(root).get('LC-02')!, 'skipped');
    expect(skipped!.attributes.message).toBe('shard 2/2 does not judge it <b>evil</b>');
  });

  it('keeps line breaks of attribute values through a parser', () => {
    const report = notCertifiedReport();
    report.rules.find((r) => r.id === 'DL-02')!.failure!.message = 'line one\nline two\r\n\ttabbed';
    const [failure] = findAll(testcases(parseXml(renderJunit(report))).get('DL-02')!, 'failure');
    expect(failure!.attributes.message).toBe('line one\nline two\r\n\ttabbed');
  });
});
