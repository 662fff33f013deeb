// log.h — diagnostics on stderr (the harness copies stderr into the report; it never parses it).
#ifndef WMPCERT_HOST_LOG_H
#define WMPCERT_HOST_LOG_H

#include <windows.h>

// Remembers the stderr handle to write to (called once, before anything else logs).
void logInit(HANDLE stderrHandle);
// One line "wmpcert-com-host: <message>\n", written with a single WriteFile so that lines from
// several threads do not interleave.
void logf(const char* format, ...) __attribute__((format(printf, 1, 2)));
// Writes raw bytes to stderr without allocating (safe inside a crash handler).
void logRaw(const char* text, size_t size);

#endif  // WMPCERT_HOST_LOG_H
