#!/usr/bin/env node
// Builds the COM host bridge (bridge/host → bridge/bin/<arch>/wmpcert-com-host.exe) with mingw-w64,
// and on request the fixture plug-in DLLs and the vtable check. No dependencies.
//
//   node scripts/build-bridge.mjs [--fixtures <dir>] [--fixtures-arch x64|x86] [--check]
//
//   (no option)        bridge/bin/x64/wmpcert-com-host.exe, and bridge/bin/x86/wmpcert-com-host.exe
//                      when i686-w64-mingw32-g++ exists
//   --fixtures <dir>   also the fixture DLLs of bridge/fixtures/*, into <dir> (x64 unless
//                      --fixtures-arch x86), each with its type library and version resource
//   --check            also build bridge/tests/vtable_check.cpp and run it (natively on Windows,
//                      under Wine elsewhere): every vtable slot of contentpartner.h against protocol.md §3
//
// Compilers: x86_64-w64-mingw32-g++ / i686-w64-mingw32-g++ (Debian: g++-mingw-w64-x86-64,
// g++-mingw-w64-i686), or $WMPCERT_CXX_X64 / $WMPCERT_CXX_X86. Type libraries need widl
// (Debian: mingw-w64-tools); without it the fixtures are built without one (then pass --clsid).
// Objects are cached in bridge/build/ and rebuilt when a source or header is newer. Linked with
// -Wl,--no-insert-timestamp, so the same sources give the same bytes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bridge = join(root, 'bridge');
const buildRoot = join(bridge, 'build');

const ARCHES = {
  x64: { cxx: process.env.WMPCERT_CXX_X64 ?? 'x86_64-w64-mingw32-g++', prefix: 'x86_64-w64-mingw32-', widlArch: '--win64', linkExtra: [] },
  // i686: STDAPI exports are decorated (DllGetClassObject@12); the .def names them undecorated.
  x86: { cxx: process.env.WMPCERT_CXX_X86 ?? 'i686-w64-mingw32-g++', prefix: 'i686-w64-mingw32-', widlArch: '--win32', linkExtra: ['-Wl,--enable-stdcall-fixup'] },
};

const CXXFLAGS = ['-std=c++17', '-O2', '-Wall', '-Wextra', '-DUNICODE', '-D_UNICODE'];
const STATIC = ['-static', '-static-libgcc', '-static-libstdc++'];
const REPRODUCIBLE = ['-Wl,--no-insert-timestamp'];

// The fixtures: each is bridge/fixtures/<name>/plugin.cpp (+ plugin.idl for a type library).
const FIXTURE_VERSION = [1, 0, 0, 0];

function fail(message) {
  console.error(`build-bridge: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const options = { fixtures: null, fixturesArch: 'x64', check: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--fixtures') options.fixtures = argv[++i] ?? fail('--fixtures needs a directory');
    else if (arg === '--fixtures-arch') options.fixturesArch = argv[++i] ?? fail('--fixtures-arch needs x64 or x86');
    else if (arg === '--check') options.check = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node scripts/build-bridge.mjs [--fixtures <dir>] [--fixtures-arch x64|x86] [--check]');
      process.exit(0);
    } else fail(`unknown option ${arg}`);
  }
  if (!(options.fixturesArch in ARCHES)) fail(`--fixtures-arch must be x64 or x86, not ${options.fixturesArch}`);
  return options;
}

function hasTool(command, versionFlag = '--version') {
  const probe = spawnSync(command, [versionFlag], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

function newestMtime(dir, extensions) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'build' && entry.name !== 'bin') newest = Math.max(newest, newestMtime(path, extensions));
    } else if (extensions.some((ext) => entry.name.endsWith(ext))) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

const headersMtime = newestMtime(bridge, ['.h']);

function isStale(output, inputs) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return inputs.some((input) => (typeof input === 'number' ? input : statSync(input).mtimeMs) > built);
}

function run(command, args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (stderr) process.stderr.write(stderr);
      if (code === 0) resolvePromise();
      else reject(new Error(`${basename(command)} failed (exit ${code}): ${args.filter((a) => !a.startsWith('-')).slice(-1)[0] ?? ''}`));
    });
  });
}

// Runs jobs with at most `limit` at a time (the machine's cores).
async function parallel(jobs, limit = Math.max(1, availableParallelism())) {
  const queue = [...jobs];
  const workers = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    while (queue.length) await queue.shift()();
  });
  await Promise.all(workers);
}

// Compiles sources to objects under build/<arch>/<tag>/ (skipping fresh ones); returns the objects.
async function compile(arch, tag, sources) {
  const { cxx } = ARCHES[arch];
  const outDir = join(buildRoot, arch, tag);
  mkdirSync(outDir, { recursive: true });
  const objects = sources.map((source) => join(outDir, relative(bridge, source).replaceAll(/[\\/]/g, '_').replace(/\.cpp$/, '.o')));
  await parallel(sources.map((source, i) => async () => {
    if (!isStale(objects[i], [source, headersMtime])) return;
    await run(cxx, [...CXXFLAGS, '-c', source, '-o', objects[i]]);
  }));
  return objects;
}

function cppFiles(dir) {
  return readdirSync(dir).filter((name) => name.endsWith('.cpp')).sort().map((name) => join(dir, name));
}

function size(path) {
  return `${Math.round(statSync(path).size / 1024)} KiB`;
}

async function buildHost(arch) {
  const objects = await compile(arch, 'host', [...cppFiles(join(bridge, 'host')), join(bridge, 'common', 'json.cpp')]);
  const out = join(bridge, 'bin', arch, 'wmpcert-com-host.exe');
  mkdirSync(dirname(out), { recursive: true });
  if (isStale(out, objects)) {
    await run(ARCHES[arch].cxx, [...STATIC, '-municode', ...REPRODUCIBLE, ...objects, '-o', out,
      '-lole32', '-loleaut32', '-luuid', '-lversion']);
  }
  return out;
}

// widl stamps each type library with its build time (and ignores SOURCE_DATE_EPOCH): a custom
// string "Created by WIDL version X at <ctime()>" followed by the same time as a VT_UI4 custom
// value. Both are pinned to 1970-01-01, so the DLL that embeds the library is reproducible too.
function pinWidlTimestamp(tlb) {
  const bytes = readFileSync(tlb);
  const text = bytes.toString('latin1');
  const match = /Created by WIDL version [^\0]*? at (\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4})/.exec(text);
  if (!match) return;
  const dateAt = match.index + match[0].length - match[1].length;
  const seconds = Math.floor(Date.parse(`${match[1].slice(4, 10)} ${match[1].slice(20)} ${match[1].slice(11, 19)}`) / 1000);
  bytes.write('Thu Jan  1 00:00:00 1970', dateAt, 'latin1');
  // The VT_UI4 copy: the 4-byte time closest after the string (ctime is local time: allow a day).
  for (let i = dateAt + 24; i + 4 <= Math.min(bytes.length, dateAt + 64); i++) {
    const value = bytes.readUInt32LE(i);
    if (Number.isFinite(seconds) && Math.abs(value - seconds) <= 86_400) {
      bytes.writeUInt32LE(0, i);
      break;
    }
  }
  writeFileSync(tlb, bytes);
}

function versionResource(name, tlb) {
  const [a, b, c, d] = FIXTURE_VERSION;
  const dotted = FIXTURE_VERSION.join('.');
  return [
    '#include <winver.h>',
    tlb ? `1 TYPELIB "${tlb.replaceAll('\\', '/')}"` : '// no type library: the host needs --clsid',
    '1 VERSIONINFO',
    `FILEVERSION ${a},${b},${c},${d}`,
    `PRODUCTVERSION ${a},${b},${c},${d}`,
    'FILEOS VOS_NT_WINDOWS32',
    'FILETYPE VFT_DLL',
    'BEGIN',
    '  BLOCK "StringFileInfo"',
    '  BEGIN',
    '    BLOCK "040904B0"',
    '    BEGIN',
    `      VALUE "FileDescription", "wmpcert fixture plug-in: ${name}"`,
    `      VALUE "FileVersion", "${dotted}"`,
    `      VALUE "OriginalFilename", "${name}.dll"`,
    '      VALUE "ProductName", "wmpcert"',
    `      VALUE "ProductVersion", "${dotted}"`,
    '    END',
    '  END',
    '  BLOCK "VarFileInfo"',
    '  BEGIN',
    '    VALUE "Translation", 0x409, 1200',
    '  END',
    'END',
    '',
  ].join('\n');
}

async function buildFixtures(arch, outDir) {
  const { cxx, prefix, widlArch, linkExtra } = ARCHES[arch];
  const widl = process.env.WMPCERT_WIDL ?? `${prefix}widl`;
  const windres = process.env.WMPCERT_WINDRES ?? `${prefix}windres`;
  if (!hasTool(windres)) fail(`${windres} not found (Debian: binutils-mingw-w64)`);
  const haveWidl = hasTool(widl, '-V');
  if (!haveWidl) console.warn(`build-bridge: ${widl} not found (Debian: mingw-w64-tools): fixtures get no type library; pass --clsid`);
  mkdirSync(outDir, { recursive: true });

  const common = await compile(arch, 'fixtures-common',
    [...cppFiles(join(bridge, 'fixtures', 'common')), join(bridge, 'common', 'json.cpp')]);
  const def = join(bridge, 'fixtures', 'common', 'fixture.def');
  const names = readdirSync(join(bridge, 'fixtures'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'common' && existsSync(join(bridge, 'fixtures', e.name, 'plugin.cpp')))
    .map((e) => e.name).sort();
  const built = [];
  for (const name of names) {
    const dir = join(bridge, 'fixtures', name);
    const work = join(buildRoot, arch, 'fixtures', name);
    mkdirSync(work, { recursive: true });
    const idl = join(dir, 'plugin.idl');
    let tlb = null;
    if (haveWidl && existsSync(idl)) {
      tlb = join(work, 'plugin.tlb');
      if (isStale(tlb, [idl])) {
        await run(widl, [widlArch, '-t', '-o', tlb, idl]);
        pinWidlTimestamp(tlb);
      }
    }
    const rc = join(work, 'plugin.rc');
    const rcText = versionResource(name, tlb);
    if (!existsSync(rc) || readFileSync(rc, 'utf8') !== rcText) writeFileSync(rc, rcText);
    const res = join(work, 'plugin-res.o');
    if (isStale(res, [rc, ...(tlb ? [tlb] : [])])) await run(windres, ['-O', 'coff', '-i', rc, '-o', res]);
    const [object] = await compile(arch, `fixtures/${name}`, [join(dir, 'plugin.cpp')]);
    const out = join(outDir, `${name}.dll`);
    if (isStale(out, [object, res, def, ...common])) {
      await run(cxx, ['-shared', ...STATIC, ...REPRODUCIBLE, ...linkExtra, object, res, ...common, def, '-o', out,
        '-lole32', '-loleaut32', '-luuid', '-lwinhttp']);
    }
    built.push({ out, tlb: Boolean(tlb) });
  }
  return built;
}

function findWineLoader(arch) {
  if (process.env.WMPCERT_WINE) return process.env.WMPCERT_WINE;
  const candidates = arch === 'x64'
    ? ['/usr/lib/wine/wine64', 'wine64', 'wine']
    : ['/usr/lib/wine/wine', 'wine'];
  for (const candidate of candidates) {
    if (candidate.startsWith('/') ? existsSync(candidate) : !spawnSync(candidate, ['--version'], { stdio: 'ignore' }).error) return candidate;
  }
  return null;
}

// Builds and runs the vtable check. Under Wine a wineserver is started first, detached and with
// its stdio ignored: one started by the check itself would inherit (and hold open) its pipes.
async function runCheck(arch) {
  const objects = await compile(arch, 'tests', [join(bridge, 'tests', 'vtable_check.cpp')]);
  const exe = join(buildRoot, arch, 'vtable-check.exe');
  await run(ARCHES[arch].cxx, [...STATIC, ...REPRODUCIBLE, ...objects, '-o', exe, '-lole32', '-loleaut32', '-luuid']);
  let command = exe;
  let args = [];
  const env = { ...process.env };
  if (process.platform !== 'win32') {
    const loader = findWineLoader(arch);
    if (!loader) {
      console.warn(`build-bridge: no Wine loader for ${arch} (Debian: wine64${arch === 'x86' ? ', wine32:i386' : ''}); vtable check built, not run: ${relative(root, exe)}`);
      return;
    }
    env.WINEDEBUG ??= '-all';
    const server = ['/usr/lib/wine/wineserver', 'wineserver'].find((s) => s.startsWith('/') ? existsSync(s) : !spawnSync(s, ['--version'], { stdio: 'ignore' }).error);
    if (server) spawn(server, ['-p5'], { env, detached: true, stdio: 'ignore' }).unref();
    command = loader;
    args = [exe];
  }
  const result = spawnSync(command, args, { env, encoding: 'utf8', timeout: 120_000 });
  process.stdout.write(result.stdout ?? '');
  if (result.error || result.status !== 0) fail(`vtable check (${arch}) failed${result.error ? `: ${result.error.message}` : ''}`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!hasTool(ARCHES.x64.cxx)) {
    fail(`${ARCHES.x64.cxx} not found: install mingw-w64 (Debian: apt-get install g++-mingw-w64-x86-64) or set WMPCERT_CXX_X64`);
  }
  const arches = hasTool(ARCHES.x86.cxx) ? ['x64', 'x86'] : ['x64'];
  if (arches.length === 1) console.log(`build-bridge: ${ARCHES.x86.cxx} not found: no 32-bit bridge (Debian: g++-mingw-w64-i686)`);
  if (options.fixtures && !arches.includes(options.fixturesArch)) fail(`${ARCHES[options.fixturesArch].cxx} not found: cannot build ${options.fixturesArch} fixtures`);

  for (const arch of arches) {
    const out = await buildHost(arch);
    console.log(`built ${relative(root, out)} (${size(out)})`);
  }
  if (options.fixtures) {
    const dir = resolve(options.fixtures);
    for (const { out, tlb } of await buildFixtures(options.fixturesArch, dir)) {
      console.log(`built ${out.startsWith(root) ? relative(root, out) : out} (${options.fixturesArch}, ${size(out)}${tlb ? ', type library' : ', no type library: needs --clsid'})`);
    }
  }
  if (options.check) for (const arch of arches) await runCheck(arch);
}

main().catch((error) => fail(error.message));
