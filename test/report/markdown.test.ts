import { describe, expect, it } from 'vitest';
import { fencedBlock, renderSummaryMarkdown } from '../../harness/report/markdown.ts';
import { visibleText } from '../../harness/report/escape.ts';
import { BACKTICK_REPLAY, HOSTILE_REPLAY, certifiedReport, notCertifiedReport, sampleSummary } from './sample-report.ts';

/** The markdown outside fenced code blocks, and the blocks' contents. */
function split(md: string): { prose: string; blocks: string[] } {
  const blocks: string[] = [];
  const prose = md.replace(/^(`{3,})\n([\s\S]*?)\n\1$/gm, (_, _fence: string, body: string) => {
    blocks.push(body);
    return '';
  });
  return { prose, blocks };
}

describe('renderSummaryMarkdown', () => {
  it('certified: verdict line, candidate, seed, runs and the counts in one line', () => {
    const report = certifiedReport();
    const md = renderSummaryMarkdown(report);
    expect(md.split('\n')[0]).toBe('**wmpcert: certified**');
    expect(md).toContain('Candidate: reference 1.0.0 (plugin), seed 424242, 100 runs');
    const n = report.rules.length;
    expect(sampleSummary(report)).toBe(`${n} rules: ${n} passed, 0 failed, 0 skipped`);
    expect(md).toContain(`All ${n} rules passed (${n} passed, 0 failed, 0 skipped).`);
    expect(md).not.toContain('|');
  });

  it('not certified: a table of failed rules, replay commands in fences', () => {
    const report = notCertifiedReport();
    const md = renderSummaryMarkdown(report);
    expect(md.split('\n')[0]).toBe('**wmpcert: NOT certified**');
    const n = report.rules.length;
    expect(sampleSummary(report)).toBe(`${n} rules: ${n - 3} passed, 2 failed, 1 skipped`);
    expect(md).toContain(`${sampleSummary(report)}.`);
    const rows = md.split('\n').filter((line) => line.startsWith('| DL-'));
    expect(rows.map((row) => row.split(' | ')[0])).toEqual(['| DL-02', '| DL-14']);
    expect(rows[1]).toContain('| recommended (does not block) |');
    // Candidate pipes are escaped: each row has exactly four cell borders.
    for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(4);

    const { prose, blocks } = split(md);
    expect(blocks).toEqual([visibleText(HOSTILE_REPLAY), BACKTICK_REPLAY]);
    expect(md).toContain('`````\n' + BACKTICK_REPLAY + '\n`````');
    // No candidate string can open HTML: outside code blocks there is no `<` at all.
    expect(prose).not.toContain('<');
    expect(prose).toContain('&lt;b&gt;evil&lt;/b&gt; plug-in');
    expect(md).not.toMatch(/[\u0000\u001b\ud800\u2028]/);
  });
});

describe('fencedBlock', () => {
  it('uses a fence longer than any backtick run in the content', () => {
    expect(fencedBlock('a ` b')).toBe('```\na ` b\n```');
    expect(fencedBlock('a ``````` b')).toBe('````````\na ``````` b\n````````');
  });
});
