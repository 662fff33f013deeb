/**
 * report.html: one self-contained page (inline style and script, nothing fetched, strict CSP) that a
 * CI system can keep as an artifact and anyone can open from disk.
 *
 * Split of work: this module turns the report into a *view* — plain data whose every string is
 * already display-ready (visibleText, HRESULT names, colours decided) — and embeds it as JSON; the
 * small inline script only lays the view out with createElement/textContent, never innerHTML. So
 * all the judgement is TypeScript that tsc and the Node tests check, and no string from a
 * candidate is ever parsed as markup. The exact data stays in report.json.
 */
import type { CertificationReport, RuleFailure, RuleResult } from './model.ts';
import type { Actor, TraceEvent } from '../trace/events.ts';
import { isHResult, hresultName } from '../protocol/hresult.ts';
import { jsonForScript, visibleText } from './escape.ts';
import {
  describeCandidate, describeCounterexample, describeViolation, formatDuration, formatValue, prettyJson,
  requestersOf, returnsHResult, summaryLine, traceLine,
} from './describe.ts';

// ---------------------------------------------------------------------------------------------
// The view: what the page shows, display-ready.

/** ok = green, bad = red, none = grey (no answer recorded), note = the harness speaking. */
type Tone = 'ok' | 'bad' | 'none' | 'note';
type Lane = Actor | 'unknown';

interface EventView {
  seq: number;
  type: TraceEvent['type'];
  /** Same lane for both when the event is a mark on one lane (uncaught, note). */
  from: Lane;
  to: Lane;
  tone: Tone;
  /** Returns and responses are drawn dashed, back towards the caller. */
  dashed: boolean;
  /** `#12 +35 ms` */
  when: string;
  /** Short text drawn beside the arrow. */
  label: string;
  /** Everything about the event (method and arguments), shown on hover. */
  title: string;
  /** The event is evidence of a violation. */
  evidence: boolean;
}

interface FailureView {
  anchor: string;
  id: string;
  level: string;
  blocking: boolean;
  statement: string;
  message: string;
  violations: string[];
  replay: string;
  counterexample: string;
  scenarioJson: string;
  lanes: Lane[];
  events: EventView[];
}

interface RuleRowView {
  id: string;
  level: string;
  status: string;
  cases: number;
  statement: string;
  /** Where its failure section is, for failed rules. */
  anchor: string | null;
  reason: string | null;
  /** How the rule's result was attributed (twins, where else its failure showed). */
  attribution: string[];
}

interface ReportView {
  title: string;
  verdict: string;
  verdictText: string;
  candidate: string;
  facts: [label: string, value: string][];
  summary: string;
  blocking: string[];
  rules: RuleRowView[];
  failures: FailureView[];
  notes: string[];
}

const LANES: readonly Lane[] = ['player', 'plugin', 'store', 'media', 'harness'];
const LABEL_CHARS = 28;
/** Hover titles stay bounded for 64 KiB params; the full value is in the counterexample and report.json. */
const TITLE_CHARS = 4000;

/** Cuts to at most `max` characters with a visible mark, never through a surrogate pair. */
function shorten(s: string, max: number, mark = '…'): string {
  if (s.length <= max) return s;
  let cut = max - 1;
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return s.slice(0, cut) + mark;
}

function shortLabel(s: string): string {
  return visibleText(shorten(s, LABEL_CHARS));
}

function urlPath(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

/** Success of a return: no throw or timeout, and for HRESULT methods a success code (`(hr|0) >= 0`). */
function returnTone(event: Extract<TraceEvent, { type: 'return' }>): Tone {
  if (event.timedOut || event.threw) return 'bad';
  if (!returnsHResult(event.method)) return 'ok';
  return isHResult(event.value) && (event.value | 0) >= 0 ? 'ok' : 'bad';
}

function responseTone(event: Extract<TraceEvent, { type: 'http-response' }>): Tone {
  const cutShort = event.bytes !== undefined && event.contentLength !== undefined && event.bytes < event.contentLength;
  return event.status === 0 || event.status >= 400 || event.error !== undefined || cutShort ? 'bad' : 'ok';
}

function returnLabel(event: Extract<TraceEvent, { type: 'return' }>): string {
  if (event.timedOut) return `${event.method} timed out`;
  if (event.threw) return `${event.method} threw`;
  if (returnsHResult(event.method) && isHResult(event.value)) return `${event.method} = ${hresultName(event.value)}`;
  return `${event.method} = ${formatValue(event.value)}`;
}

function eventViews(failure: RuleFailure, candidateLane: Lane): { lanes: Lane[]; events: EventView[] } {
  const trace = failure.trace;
  const requesters = requestersOf(trace);
  const evidence = new Set(failure.violations.flatMap((violation) => violation.events));
  // A call or request takes the colour of its answer, so a failed exchange is red at both ends.
  const returnTones = new Map<number, Tone>();
  const responseTones = new Map<number, Tone>();
  for (const event of trace) {
    if (event.type === 'return') returnTones.set(event.callId, returnTone(event));
    if (event.type === 'http-response') responseTones.set(event.requestId, responseTone(event));
  }
  const view = (event: TraceEvent, from: Lane, to: Lane, tone: Tone, label: string): EventView => ({
    seq: event.seq,
    type: event.type,
    from,
    to,
    tone,
    dashed: event.type === 'return' || event.type === 'http-response',
    when: `#${event.seq} +${Math.round(event.at)} ms`,
    label: shortLabel(label),
    title: visibleText(shorten(traceLine(event, requesters), TITLE_CHARS, '… (cut here; the full values are in report.json)')),
    evidence: evidence.has(event.seq),
  });
  const events = trace.map((event): EventView => {
    switch (event.type) {
      case 'call':
        return view(event, event.from, event.to, returnTones.get(event.callId) ?? 'none', event.method);
      case 'return':
        return view(event, event.from, event.to, returnTone(event), returnLabel(event));
      case 'http-request':
        return view(event, event.by, event.actor, responseTones.get(event.requestId) ?? 'none',
          `${event.method} ${urlPath(event.url)}`);
      case 'http-response':
        return view(event, event.actor, requesters.get(event.requestId) ?? 'plugin', responseTone(event),
          event.status === 0 ? 'network error' : String(event.status));
      case 'uncaught':
        return view(event, candidateLane, candidateLane, 'bad', `uncaught ${event.source}`);
      case 'note':
        return view(event, 'harness', 'harness', 'note', event.text);
      case 'sandbox':
        return view(event, 'harness', candidateLane, 'bad', `stopped: ${event.reason}`);
      case 'protocol':
        return view(event, candidateLane, 'harness', 'bad', `bad message: ${event.kind}`);
    }
  });
  // An HTTP peer the world does not know gets its own lane, left of the harness so note labels
  // (drawn right of the harness lane) cross nothing.
  const used = new Set(events.flatMap((event) => [event.from, event.to]));
  const lanes: Lane[] = used.has('unknown') ? ['player', 'plugin', 'store', 'media', 'unknown', 'harness'] : [...LANES];
  return { lanes, events };
}

function failureView(report: CertificationReport, rule: RuleResult, anchor: string): FailureView {
  const failure = rule.failure;
  const timeline = failure ? eventViews(failure, report.candidate.kind) : { lanes: [...LANES], events: [] };
  return {
    anchor,
    id: visibleText(rule.id),
    level: visibleText(rule.level),
    blocking: report.blockingFailures.includes(rule.id),
    statement: visibleText(rule.statement),
    message: visibleText(failure?.message ?? 'No failure details were recorded.'),
    violations: (failure?.violations ?? []).map((violation) => visibleText(describeViolation(violation))),
    replay: visibleText(failure?.replay ?? ''),
    counterexample: failure ? visibleText(describeCounterexample(failure)) : '',
    // visibleText keeps JSON valid and exact (see escape.ts), so the page shows parseable JSON.
    scenarioJson: failure ? visibleText(prettyJson(failure.counterexample.scenario)) : '',
    ...timeline,
  };
}

function buildView(report: CertificationReport): ReportView {
  const anchors = new Map<RuleResult, string>();
  report.rules.filter((rule) => rule.status === 'failed').forEach((rule, i) => anchors.set(rule, `failure-${i}`));
  const certified = report.verdict === 'certified';
  const candidate = report.candidate;
  const facts: [string, string][] = [
    ['Kind', candidate.kind],
    [candidate.sourceType === 'exec' ? 'Command' : candidate.sourceType === 'dll' ? 'COM DLL' : 'Module', candidate.source],
    ['SHA-256', candidate.sha256],
    ...(candidate.dll ? [['CLSID', `${candidate.dll.clsid} (${candidate.dll.arch}, ${candidate.dll.runner === 'wine' ? 'under Wine' : 'native'})`] as [string, string]] : []),
    ['Seed', String(report.seed)],
    ['Runs', String(report.runs)],
    ['Level', report.level],
    ['Duration', formatDuration(report.durationMs)],
    ['Started', report.startedAt],
    ['Scenarios', `${report.stats.scenarios} (${report.stats.tracks} tracks, ${report.stats.calls} calls)`],
    ['Shard', report.shard ? `${report.shard.index}/${report.shard.count}` : 'none'],
    ['wmpcert', report.tool.version],
  ];
  return {
    title: visibleText(`wmpcert: ${certified ? 'certified' : 'NOT certified'} (${describeCandidate(report)})`),
    verdict: certified ? 'certified' : 'not-certified',
    verdictText: certified ? 'Certified' : 'NOT certified',
    candidate: visibleText(describeCandidate(report)),
    facts: facts.map(([label, value]) => [label, visibleText(value)]),
    summary: summaryLine(report),
    blocking: report.blockingFailures.map(visibleText),
    rules: report.rules.map((rule) => ({
      id: visibleText(rule.id),
      level: visibleText(rule.level),
      status: visibleText(rule.status),
      cases: rule.cases,
      statement: visibleText(rule.statement),
      anchor: anchors.get(rule) ?? null,
      reason: rule.reason === undefined ? null : visibleText(rule.reason),
      attribution: (rule.attribution ?? []).map(visibleText),
    })),
    failures: report.rules.flatMap((rule) => {
      const anchor = anchors.get(rule);
      return anchor === undefined ? [] : [failureView(report, rule, anchor)];
    }),
    notes: report.notes.map(visibleText),
  };
}

// ---------------------------------------------------------------------------------------------
// The page.

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const STYLE = String.raw`
:root { --ok: #1a7f37; --bad: #cf222e; --none: #8c959f; --note: #8250df; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #f6f8fa; }
main { max-width: 1280px; margin: 0 auto; padding: 24px; }
section, header.top { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin-bottom: 20px; }
h1 { margin: 0 0 8px; font-size: 20px; }
h2 { margin: 0 0 12px; font-size: 18px; }
h3 { margin: 16px 0 6px; font-size: 15px; }
code, pre { font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 10px; overflow: auto; max-height: 420px; white-space: pre; }
.verdict { display: inline-block; padding: 6px 18px; border-radius: 999px; color: #fff; font-size: 26px; font-weight: 700; letter-spacing: .02em; }
.verdict.certified { background: var(--ok); }
.verdict.not-certified { background: var(--bad); }
.candidate { font-size: 18px; margin: 10px 0 4px; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.toolbar { display: flex; gap: 16px; align-items: center; margin-bottom: 10px; flex-wrap: wrap; }
#q { padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; min-width: 280px; font: inherit; }
#summary { font-weight: 600; }
#shown { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.id, td.level, td.status-cell { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 600; color: #fff; }
.status.passed { background: var(--ok); }
.status.failed { background: var(--bad); }
.status.skipped { background: var(--none); }
.reason { color: var(--muted); font-size: 12px; }
.failure { border-left: 4px solid var(--bad); }
.failure.advisory { border-left-color: #bf8700; }
.message { font-weight: 600; overflow-wrap: anywhere; }
.violations li { overflow-wrap: anywhere; }
.replay { display: flex; gap: 8px; align-items: flex-start; }
.replay code { flex: 1; display: block; background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 8px; user-select: all; overflow-wrap: anywhere; }
button { font: inherit; padding: 4px 12px; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
.legend { color: var(--muted); font-size: 12px; margin: 6px 0; }
.legend .swatch { display: inline-block; width: 18px; height: 3px; vertical-align: middle; margin: 0 4px 0 12px; }
.timeline-scroll { max-height: 70vh; overflow: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
svg.timeline-head { position: sticky; top: 0; background: #fff; display: block; border-bottom: 1px solid var(--line); }
svg.timeline { display: block; }
svg text { font: 11px system-ui, sans-serif; fill: #1f2328; }
svg .lane-name { font-weight: 600; font-size: 12px; }
svg .lane line { stroke: var(--line); stroke-width: 2; }
svg .when { fill: var(--muted); font-family: ui-monospace, monospace; }
svg .event line { stroke-width: 1.6; }
svg .event.dashed line { stroke-dasharray: 5 3; }
svg .tone-ok line { stroke: var(--ok); } svg .tone-ok polygon, svg .tone-ok circle { fill: var(--ok); }
svg .tone-bad line { stroke: var(--bad); } svg .tone-bad polygon, svg .tone-bad circle { fill: var(--bad); }
svg .tone-bad text.label { fill: var(--bad); }
svg .tone-none line { stroke: var(--none); } svg .tone-none polygon, svg .tone-none circle { fill: var(--none); }
svg .tone-note circle { fill: var(--note); } svg .tone-note text.label { fill: var(--note); }
svg .event .band { fill: transparent; }
svg .event.evidence .band { fill: #fff8c5; }
svg .event:hover .band { fill: #ddf4ff; }
ul.notes li { overflow-wrap: anywhere; white-space: pre-wrap; }
`;

/**
 * The page's script: lays the embedded view out. Uses only createElement(NS), textContent and
 * setAttribute with the page's own attribute names, so data never becomes markup. Written as plain
 * JS in a string (not a serialised TS function) so no build step can inject helpers into it.
 */
const CLIENT = String.raw`
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var view = JSON.parse(document.getElementById('report-data').textContent);

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    for (var name in attrs) node.setAttribute(name, String(attrs[name]));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) parent.appendChild(arguments[i]);
    return parent;
  }
  /** Rule statements mark code with backticks: odd segments become <code>. */
  function richText(parent, text) {
    String(text).split(String.fromCharCode(96)).forEach(function (part, i) {
      parent.appendChild(i % 2 ? el('code', '', part) : document.createTextNode(part));
    });
    return parent;
  }

  document.title = view.title;

  // Header: verdict, candidate, facts.
  var top = document.getElementById('top');
  add(top, el('div', 'verdict ' + view.verdict, view.verdictText), el('div', 'candidate', view.candidate));
  var facts = el('dl', 'facts');
  view.facts.forEach(function (fact) { add(facts, el('dt', '', fact[0]), el('dd', '', fact[1])); });
  add(top, facts);
  if (view.blocking.length) add(top, el('p', 'message', 'Blocking failures: ' + view.blocking.join(', ')));

  // Rule table with filter.
  document.getElementById('summary').textContent = view.summary;
  var tbody = document.querySelector('#rules tbody');
  var rows = view.rules.map(function (rule) {
    var tr = el('tr', 'rule ' + rule.status);
    var idCell = el('td', 'id');
    if (rule.anchor) {
      var link = el('a', '', rule.id);
      link.setAttribute('href', '#' + rule.anchor);
      idCell.appendChild(link);
    } else {
      idCell.textContent = rule.id;
    }
    var statement = richText(el('td', 'statement'), rule.statement);
    if (rule.reason !== null) add(statement, el('div', 'reason', 'Skipped: ' + rule.reason));
    rule.attribution.forEach(function (note) { add(statement, el('div', 'reason', note)); });
    add(tr, idCell, el('td', 'level', rule.level), add(el('td', 'status-cell'), el('span', 'status ' + rule.status, rule.status)),
      el('td', 'num', rule.cases), statement);
    tbody.appendChild(tr);
    return { tr: tr, text: [rule.id, rule.level, rule.status, rule.statement, rule.reason || ''].join(' ').toLowerCase() };
  });
  var shown = document.getElementById('shown');
  function filter() {
    var q = document.getElementById('q').value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      row.tr.hidden = q !== '' && row.text.indexOf(q) < 0;
      if (!row.tr.hidden) count++;
    });
    shown.textContent = q === '' ? '' : count + ' of ' + rows.length + ' shown';
  }
  document.getElementById('q').addEventListener('input', filter);

  // Timeline: one vertical lane per actor, one row per event in trace order, arrows caller -> callee.
  var GUTTER = 96, GAP = 160, ROW = 22, LABEL_ROOM = 250;
  function laneX(lanes, lane) { return GUTTER + 40 + lanes.indexOf(lane) * GAP; }
  function timeline(failure) {
    var width = laneX(failure.lanes, failure.lanes[failure.lanes.length - 1]) + LABEL_ROOM;
    var height = failure.events.length * ROW + 12;
    var head = svg('svg', { 'class': 'timeline-head', width: width, height: 26 });
    var pic = svg('svg', { 'class': 'timeline', width: width, height: height, role: 'img' });
    add(pic, svg('title', {}, failure.id + ': ' + failure.events.length + ' trace events'));
    failure.lanes.forEach(function (lane) {
      var x = laneX(failure.lanes, lane);
      add(head, svg('text', { 'class': 'lane-name', x: x, y: 17, 'text-anchor': 'middle' }, lane));
      add(pic, add(svg('g', { 'class': 'lane', 'data-actor': lane }), svg('line', { x1: x, y1: 0, x2: x, y2: height })));
    });
    failure.events.forEach(function (ev, i) {
      var y = 16 + i * ROW;
      var g = svg('g', {
        'class': 'event ' + ev.type + ' tone-' + ev.tone + (ev.dashed ? ' dashed' : '') + (ev.evidence ? ' evidence' : ''),
        id: failure.anchor + '-ev-' + ev.seq, 'data-seq': ev.seq,
      });
      add(g, svg('title', {}, ev.title), svg('rect', { 'class': 'band', x: 0, y: y - 13, width: width, height: ROW }),
        svg('text', { 'class': 'when', x: 4, y: y }, ev.when));
      var x1 = laneX(failure.lanes, ev.from), x2 = laneX(failure.lanes, ev.to);
      if (x1 === x2) {
        add(g, svg('circle', { cx: x1, cy: y - 4, r: 5 }), svg('text', { 'class': 'label', x: x1 + 10, y: y }, ev.label));
      } else {
        var dir = x2 > x1 ? 1 : -1, tip = x2 - dir * 2;
        add(g,
          svg('line', { x1: x1, y1: y - 4, x2: tip - dir * 6, y2: y - 4 }),
          svg('polygon', { points: tip + ',' + (y - 4) + ' ' + (tip - dir * 8) + ',' + (y - 8) + ' ' + (tip - dir * 8) + ',' + y }),
          svg('text', { 'class': 'label', x: (x1 + x2) / 2, y: y - 7, 'text-anchor': 'middle' }, ev.label));
      }
      pic.appendChild(g);
    });
    return add(el('div', 'timeline-scroll'), head, pic);
  }

  function legend() {
    var p = el('p', 'legend', 'Solid: call or request; dashed: return or response. Hover an event for its arguments.');
    [['ok', 'success'], ['bad', 'failure, throw, timeout, HTTP error'], ['none', 'no answer'], ['note', 'harness note']]
      .forEach(function (item) {
        var swatch = el('span', 'swatch');
        swatch.style.background = 'var(--' + item[0] + ')';
        add(p, swatch, document.createTextNode(item[1]));
      });
    return p;
  }

  function copyButton(text, code) {
    var button = el('button', 'copy', 'Copy');
    button.type = 'button';
    button.addEventListener('click', function () {
      function select() {
        var range = document.createRange();
        range.selectNodeContents(code);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        button.textContent = 'Selected: press Ctrl+C';
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { button.textContent = 'Copied'; }, select);
      } else {
        select();
      }
    });
    return button;
  }

  // One section per failed rule.
  var failures = document.getElementById('failures');
  view.failures.forEach(function (failure) {
    var section = el('section', 'failure' + (failure.blocking ? '' : ' advisory'));
    section.id = failure.anchor;
    var level = failure.level + (failure.blocking ? '' : ', does not block certification');
    add(section, el('h2', '', failure.id + ' failed (' + level + ')'), richText(el('p', 'statement'), failure.statement),
      el('p', 'message', failure.message));
    var list = el('ul', 'violations');
    failure.violations.forEach(function (v) { list.appendChild(el('li', '', v)); });
    var code = el('code', '', failure.replay);
    add(section, el('h3', '', 'Violations'), list, el('h3', '', 'Replay'),
      add(el('div', 'replay'), code, copyButton(failure.replay, code)),
      el('h3', '', 'Counterexample'), el('p', '', failure.counterexample), el('pre', 'scenario', failure.scenarioJson),
      el('h3', '', 'Timeline of the failing trace'), legend(), timeline(failure));
    failures.appendChild(section);
  });

  var notes = document.getElementById('notes');
  if (view.notes.length) {
    var ul = el('ul', 'notes');
    view.notes.forEach(function (note) { ul.appendChild(el('li', '', note)); });
    add(notes, el('h2', '', 'Notes'), ul);
  } else {
    notes.hidden = true;
  }
})();
`;

export function renderHtml(report: CertificationReport): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wmpcert report</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header class="top" id="top"><noscript>This report is drawn by its inline script; the same data is in report.json.</noscript></header>
<section id="rules-section">
<h2>Rules</h2>
<div class="toolbar"><input id="q" type="search" placeholder="Filter rules: ID, level, status or text" aria-label="Filter rules"><span id="summary"></span><span id="shown"></span></div>
<table id="rules"><thead><tr><th>ID</th><th>Level</th><th>Status</th><th>Cases</th><th>Statement</th></tr></thead><tbody></tbody></table>
</section>
<div id="failures"></div>
<section id="notes"></section>
</main>
<script type="application/json" id="report-data">${jsonForScript(buildView(report))}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
