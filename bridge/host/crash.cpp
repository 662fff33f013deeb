// crash.cpp — see crash.h. The handlers format their line by hand into a stack buffer: the heap or
// the CRT may be what got corrupted.
#include "crash.h"

#include <windows.h>

#include <csignal>
#include <cstring>
#include <exception>

#include "log.h"

namespace {

volatile LONG g_dying = 0;

struct Line {
    char text[768];
    size_t size = 0;

    void add(const char* s) {
        while (*s && size < sizeof(text) - 1) text[size++] = *s++;
    }
    void hex(unsigned long long value, int minDigits) {
        char digits[17];
        int n = 0;
        do {
            digits[n++] = "0123456789ABCDEF"[value & 15];
            value >>= 4;
        } while (value != 0 || n < minDigits);
        add("0x");
        while (n > 0 && size < sizeof(text) - 1) text[size++] = digits[--n];
    }
};

const char* exceptionName(DWORD code) {
    switch (code) {
        case EXCEPTION_ACCESS_VIOLATION: return "access violation";
        case EXCEPTION_STACK_OVERFLOW: return "stack overflow";
        case EXCEPTION_ILLEGAL_INSTRUCTION: return "illegal instruction";
        case EXCEPTION_INT_DIVIDE_BY_ZERO: return "integer divide by zero";
        case EXCEPTION_PRIV_INSTRUCTION: return "privileged instruction";
        case EXCEPTION_IN_PAGE_ERROR: return "in-page error";
        case EXCEPTION_ARRAY_BOUNDS_EXCEEDED: return "array bounds exceeded";
        case EXCEPTION_DATATYPE_MISALIGNMENT: return "datatype misalignment";
        case EXCEPTION_BREAKPOINT: return "breakpoint";
        case 0xC0000409: return "stack buffer overrun / fail-fast";
        case 0xC0000374: return "heap corruption";
        case 0x20474343: return "C++ exception not caught (GCC)";
        case 0xE06D7363: return "C++ exception not caught (MSVC)";
        default: return "exception";
    }
}

// "name.dll+0x1234" for the module holding the address, when there is one.
void addModule(Line& line, const void* address) {
    HMODULE module = nullptr;
    if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            static_cast<const char*>(address), &module) || module == nullptr) {
        return;
    }
    char path[MAX_PATH];
    DWORD n = GetModuleFileNameA(module, path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH) return;
    const char* name = path;
    for (const char* p = path; *p; ++p)
        if (*p == '\\' || *p == '/') name = p + 1;
    line.add(" (");
    line.add(name);
    line.add("+");
    line.hex(reinterpret_cast<ULONG_PTR>(address) - reinterpret_cast<ULONG_PTR>(module), 1);
    line.add(")");
}

[[noreturn]] void die(Line& line) {
    // Only the first crashing thread reports; any other one just waits to be terminated.
    if (InterlockedExchange(&g_dying, 1) != 0) {
        for (;;) Sleep(INFINITE);
    }
    line.add("\n");
    logRaw(line.text, line.size);
    // TerminateProcess, not exit(): no DLL detach code runs in a process that is already broken.
    TerminateProcess(GetCurrentProcess(), kCrashExitCode);
    for (;;) Sleep(INFINITE);
}

LONG WINAPI onUnhandledException(EXCEPTION_POINTERS* info) {
    const EXCEPTION_RECORD* record = info->ExceptionRecord;
    Line line;
    line.add("fatal: ");
    line.add(exceptionName(record->ExceptionCode));
    line.add(" (exception ");
    line.hex(record->ExceptionCode, 8);
    line.add(") at ");
    line.hex(reinterpret_cast<ULONG_PTR>(record->ExceptionAddress), static_cast<int>(sizeof(void*) * 2));
    addModule(line, record->ExceptionAddress);
    if (record->ExceptionCode == EXCEPTION_ACCESS_VIOLATION && record->NumberParameters >= 2) {
        ULONG_PTR kind = record->ExceptionInformation[0];
        line.add(kind == 0 ? ", reading " : kind == 1 ? ", writing " : ", executing ");
        line.hex(record->ExceptionInformation[1], 1);
    }
    line.add(", thread ");
    line.hex(GetCurrentThreadId(), 1);
    die(line);
}

// A stack overflow leaves too little stack for the unhandled-exception filter (under Wine the thread
// just vanishes), so it is caught first, by a vectored handler that formats into static memory.
// Plug-ins do not recover from stack overflows, so treating the first one as fatal loses nothing.
LONG WINAPI onVectoredException(EXCEPTION_POINTERS* info) {
    if (info->ExceptionRecord->ExceptionCode != EXCEPTION_STACK_OVERFLOW) return EXCEPTION_CONTINUE_SEARCH;
    static Line line;
    if (InterlockedCompareExchange(&g_dying, 0, 0) != 0) {
        for (;;) Sleep(INFINITE);
    }
    line.size = 0;
    line.add("fatal: stack overflow (exception 0xC00000FD) at ");
    line.hex(reinterpret_cast<ULONG_PTR>(info->ExceptionRecord->ExceptionAddress), static_cast<int>(sizeof(void*) * 2));
    line.add(", thread ");
    line.hex(GetCurrentThreadId(), 1);
    die(line);
}

void onAbortSignal(int) {
    Line line;
    line.add("fatal: abort() called (SIGABRT: std::terminate, a pure virtual call or a failed assert), thread ");
    line.hex(GetCurrentThreadId(), 1);
    die(line);
}

void onTerminate() {
    Line line;
    line.add("fatal: std::terminate in the host (an exception escaped), thread ");
    line.hex(GetCurrentThreadId(), 1);
    die(line);
}

}  // namespace

void installCrashHandlers() {
    // No "program has stopped working" box, no critical-error box for a missing drive or DLL.
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    SetUnhandledExceptionFilter(&onUnhandledException);
    static PVOID vectored = nullptr;
    if (vectored == nullptr) vectored = AddVectoredExceptionHandler(1, &onVectoredException);
    signal(SIGABRT, &onAbortSignal);
    std::set_terminate(&onTerminate);
    // Room for the filter to run on this thread after a stack overflow.
    ULONG guarantee = 64 * 1024;
    SetThreadStackGuarantee(&guarantee);
}
