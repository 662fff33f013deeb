// crash.h — a plug-in crash becomes one line on stderr, "fatal: ...", and exit code 70.
//
// Covers unhandled SEH exceptions on any thread (access violations, C++ exceptions nobody caught),
// stack overflows on any thread (a vectored handler: too little stack is left for anything else),
// abort() (SIGABRT: std::terminate, pure virtual calls) in the CRT shared with mingw-built
// plug-ins, and std::terminate in the host. No error dialog, no debugger: Wine's winedbg never
// gets to print a backtrace on stdout.
#ifndef WMPCERT_HOST_CRASH_H
#define WMPCERT_HOST_CRASH_H

// The exit code of a process that died of a crash (EX_SOFTWARE in sysexits.h).
const unsigned kCrashExitCode = 70;

// Installs the handlers; call first thing in main, and again after loading the plug-in (a DLL may
// install its own top-level filter in DllMain).
void installCrashHandlers();

#endif  // WMPCERT_HOST_CRASH_H
