#!/usr/bin/env node
/**
 * A scripted child for the NDJSON peer's tests: `node misbehaving-child.mjs <behaviour>`.
 * Every behaviour but the broken ones answers requests like a minimal well-behaved plug-in.
 */
import { createInterface } from 'node:readline';

const behaviour = process.argv[2] ?? 'echo';
const write = (text) => process.stdout.write(text);
const send = (message) => write(JSON.stringify(message) + '\n');
const answer = (request) =>
  send({ jsonrpc: '2.0', id: request.id, result: request.method === 'initialize' ? { name: 'child', version: '0' } : { hr: 0 } });
const stayAlive = () => setInterval(() => {}, 1 << 30);

function onRequests(handle) {
  createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => handle(JSON.parse(line)));
}

switch (behaviour) {
  case 'echo':
    onRequests(answer);
    break;

  case 'many-with-stray-calls':
    // Serves many instances; calls for a released instance, and for one never created.
    onRequests((request) => {
      if (request.method === undefined) return; // the harness's answers to our calls
      if (request.method === 'initialize') return send({ jsonrpc: '2.0', id: request.id, result: { name: 'child', version: '0', instances: 'many' } });
      const { instance } = request.params;
      if (request.method === 'release') {
        send({ jsonrpc: '2.0', id: 'late', method: 'downloadTrack', params: { instance, cookie: 1, url: null, trackId: 5, params: null, hr: 0 } });
      }
      if (request.method === 'download') {
        send({ jsonrpc: '2.0', id: 'stray', method: 'downloadTrack', params: { instance: 999, cookie: 1, url: null, trackId: 5, params: null, hr: 0 } });
      }
      answer(request);
    });
    break;

  case 'noise-then-answer':
    onRequests((request) => {
      write('hello from a stray console.log\n');
      answer(request);
    });
    break;

  case 'invalid-utf8-then-answer':
    onRequests((request) => {
      process.stdout.write(Buffer.from([0x7b, 0xc3, 0x28, 0x7d, 0x0a])); // "{" + a broken 2-byte sequence + "}"
      answer(request);
    });
    break;

  case 'crlf-answers':
    onRequests((request) => write(JSON.stringify({ jsonrpc: '2.0', id: request.id, result: { hr: 0 } }) + '\r\n'));
    break;

  case 'flood': {
    // 8 MiB without a newline, as fast as the pipe takes it.
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let left = 128;
    const pump = () => {
      while (left > 0) {
        left--;
        if (!process.stdout.write(chunk)) return process.stdout.once('drain', pump);
      }
    };
    pump();
    stayAlive();
    break;
  }

  case 'crash-on-request':
    onRequests(() => {
      process.stderr.write('boom: the plug-in fell over\n');
      process.exit(3);
    });
    break;

  case 'answers-when-asked-again': {
    // Holds each request until the next one arrives, then answers both, the held one first: an
    // answer that comes after the harness gave up on it, whatever the machine's speed.
    let held = null;
    onRequests((request) => {
      if (held === null) return void (held = request);
      answer(held);
      answer(request);
      held = null;
    });
    break;
  }

  case 'hang':
    onRequests(() => {});
    break;

  case 'deaf':
    // Never reads stdin: the harness's writes fill the pipe.
    process.stdin.pause();
    stayAlive();
    break;

  case 'stderr-flood-then-answer':
    onRequests((request) => {
      process.stderr.write('x'.repeat(1024 * 1024) + '\nthe end of stderr\n', () => answer(request));
    });
    break;

  case 'answers-twice':
    // Every answer comes twice: the second copy answers a request that was already answered.
    onRequests((request) => {
      answer(request);
      answer(request);
    });
    break;

  case 'bad-answers':
    // Request 1 gets a result of the wrong shape, then come an unknown id and a duplicate answer;
    // request 2 gets a proper JSON-RPC error.
    onRequests((request) => {
      if (request.id === 1) {
        send({ jsonrpc: '2.0', id: 1, result: { hr: 'zero' } });
        send({ jsonrpc: '2.0', id: 999, result: { hr: 0 } });
        send({ jsonrpc: '2.0', id: 1, result: { hr: 0 } });
      } else {
        send({ jsonrpc: '2.0', id: request.id, error: { code: -32000, message: 'not today' } });
      }
    });
    break;

  case 'calls-back': {
    // On any request: calls downloadTrack on the harness, and answers with the hr it got back.
    // Also tries an unknown method and a malformed downloadTrack, which must be refused.
    const waiting = new Map();
    onRequests((message) => {
      if (message.method === undefined) {
        waiting.get(message.id)?.(message);
        return;
      }
      const request = message;
      waiting.set(100, (reply) => send({ jsonrpc: '2.0', id: request.id, result: { hr: reply.result.hr } }));
      waiting.set(101, (reply) => process.stderr.write(`unknown method answer: ${JSON.stringify(reply)}\n`));
      waiting.set(102, (reply) => process.stderr.write(`malformed call answer: ${JSON.stringify(reply)}\n`));
      send({ jsonrpc: '2.0', id: 101, method: 'buyComplete', params: {} });
      send({ jsonrpc: '2.0', id: 102, method: 'downloadTrack', params: { cookie: -1, url: null, trackId: 1, params: null, hr: 0 } });
      send({ jsonrpc: '2.0', id: 100, method: 'downloadTrack',
             params: { cookie: 7, url: 'http://m/1', trackId: 1, params: 'p', hr: 0x80004005 } });
    });
    break;
  }

  default:
    process.stderr.write(`unknown behaviour ${behaviour}\n`);
    process.exit(2);
}
