// log.cpp — see log.h.
#include "log.h"

#include <cstdarg>
#include <cstdio>

namespace {
HANDLE g_stderr = INVALID_HANDLE_VALUE;
}

void logInit(HANDLE stderrHandle) { g_stderr = stderrHandle; }

void logRaw(const char* text, size_t size) {
    if (g_stderr == INVALID_HANDLE_VALUE || g_stderr == nullptr) return;
    DWORD written = 0;
    WriteFile(g_stderr, text, static_cast<DWORD>(size), &written, nullptr);
}

void logf(const char* format, ...) {
    char line[2048];
    const char prefix[] = "wmpcert-com-host: ";
    int n = sizeof(prefix) - 1;
    memcpy(line, prefix, n);
    va_list args;
    va_start(args, format);
    int body = vsnprintf(line + n, sizeof(line) - n - 1, format, args);
    va_end(args);
    if (body < 0) body = 0;
    n += body;
    if (n > static_cast<int>(sizeof(line)) - 2) n = sizeof(line) - 2;
    line[n++] = '\n';
    logRaw(line, n);
}
