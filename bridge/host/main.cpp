// main.cpp — wmpcert-com-host.exe: certifies a COM content-partner plug-in DLL by speaking the
// wmpcert wire protocol (docs/wire-protocol.md) on stdin/stdout on the DLL's behalf.
//
//   wmpcert-com-host.exe <plugin.dll> [--clsid {GUID}]
//
// Exit status: 0 after shutdown or the end of stdin; 2 for a usage or set-up error (one line on
// stderr naming the fix); 70 when the plug-in crashed (one "fatal:" line on stderr).
#include <windows.h>
#include <objbase.h>

#include <fcntl.h>
#include <io.h>
#include <cstdio>
#include <string>

#include "crash.h"
#include "log.h"
#include "plugin_loader.h"
#include "session.h"
#include "wire.h"

namespace {

const int kUsageExit = 2;

[[noreturn]] void exitNow(unsigned code) {
    // TerminateProcess, not ExitProcess: everything is written (WriteFile, no buffers), and no
    // plug-in DllMain or worker thread can hang or crash the exit.
    TerminateProcess(GetCurrentProcess(), code);
    ExitProcess(code);
}

[[noreturn]] void usage(const std::string& message) {
    logf("%s", message.c_str());
    logf("usage: wmpcert-com-host.exe <plugin.dll> [--clsid {GUID}]");
    exitNow(kUsageExit);
}

HANDLE duplicate(HANDLE handle) {
    HANDLE copy = nullptr;
    if (handle == nullptr || handle == INVALID_HANDLE_VALUE ||
        !DuplicateHandle(GetCurrentProcess(), handle, GetCurrentProcess(), &copy, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
        return handle;
    }
    return copy;
}

// The wire gets private copies of stdin/stdout; the process's own stdin becomes NUL and its stdout
// becomes stderr. A plug-in that printf()s or reads the console can then never corrupt or steal a
// wire line: its output lands in stderr, which the harness only copies into the report.
void takeStdio(HANDLE* wireIn, HANDLE* wireOut) {
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    logInit(err);
    *wireIn = duplicate(GetStdHandle(STD_INPUT_HANDLE));
    *wireOut = duplicate(GetStdHandle(STD_OUTPUT_HANDLE));

    SetStdHandle(STD_OUTPUT_HANDLE, err);
    fflush(stdout);
    _dup2(_fileno(stderr), _fileno(stdout));

    HANDLE nul = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0, nullptr);
    if (nul != INVALID_HANDLE_VALUE) {
        SetStdHandle(STD_INPUT_HANDLE, nul);
        int fd = _open("NUL", _O_RDONLY);
        if (fd >= 0) _dup2(fd, _fileno(stdin));
    }
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
    installCrashHandlers();
    HANDLE wireIn = nullptr, wireOut = nullptr;
    takeStdio(&wireIn, &wireOut);

    std::wstring dllPath;
    CLSID clsid = {};
    bool haveClsid = false;
    for (int i = 1; i < argc; ++i) {
        std::wstring arg = argv[i];
        if (arg == L"--clsid") {
            if (i + 1 >= argc) usage("--clsid needs a GUID, e.g. --clsid {01234567-89AB-CDEF-0123-456789ABCDEF}");
            if (!parseClsid(argv[++i], &clsid)) usage("--clsid " + toUtf8(argv[i]) + " is not a GUID");
            haveClsid = true;
        } else if (arg.rfind(L"--", 0) == 0) {
            usage("unknown option " + toUtf8(arg));
        } else if (dllPath.empty()) {
            dllPath = arg;
        } else {
            usage("more than one DLL given: " + toUtf8(arg));
        }
    }
    if (dllPath.empty()) usage("no plug-in DLL given");

    // The serving thread is a single-threaded apartment, as the Player's UI thread is; it pumps
    // messages whenever it waits, so apartment-threaded plug-ins work.
    HRESULT hr = CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
    if (FAILED(hr)) {
        logf("CoInitializeEx failed: 0x%08lX", static_cast<unsigned long>(hr));
        exitNow(kUsageExit);
    }

    PluginModule plugin;
    std::string error;
    if (!plugin.load(dllPath, haveClsid ? &clsid : nullptr, &error)) {
        logf("%s", error.c_str());
        exitNow(kUsageExit);
    }
    installCrashHandlers();  // again: the DLL may have installed its own filter while loading

    Wire wire;
    if (!wire.start(wireIn, wireOut)) {
        logf("cannot start the stdin reader thread (error %lu)", GetLastError());
        exitNow(kUsageExit);
    }
    Session session(wire, plugin);
    HANDLE ready = wire.requestsReady();
    for (;;) {
        WireRequest request;
        while (wire.popRequest(request)) {
            if (request.endOfInput) {
                // The harness closed stdin without a shutdown: clean up the same way, then go.
                session.releaseAll(2000);
                exitNow(0);
            }
            if (!session.serve(request)) exitNow(0);  // shutdown answered
        }
        DWORD w = MsgWaitForMultipleObjectsEx(1, &ready, INFINITE, QS_ALLINPUT, MWMO_INPUTAVAILABLE);
        if (w == WAIT_OBJECT_0 + 1) {
            MSG msg;
            while (PeekMessageW(&msg, nullptr, 0, 0, PM_REMOVE)) {
                TranslateMessage(&msg);
                DispatchMessageW(&msg);
            }
        }
    }
}
