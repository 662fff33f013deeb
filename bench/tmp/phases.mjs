// Prints each stdout line of a certify run with the ms since spawn.
import { spawn } from 'node:child_process';
const t0 = performance.now();
const child = spawn('node', ['bin/wmpcert.js', 'certify', 'fixtures/plugins/reference.ts', '--seed', process.argv[2] ?? '42', '--out', '/tmp/bench-cert', ...process.argv.slice(3)]);
child.stdout.on('data', (d) => { for (const l of d.toString().split('\n')) if (l.trim()) console.log(Math.round(performance.now() - t0), l.slice(0, 110)); });
child.stderr.on('data', (d) => process.stderr.write(d));
child.on('close', (code) => console.log('end', Math.round(performance.now() - t0), 'exit', code));
