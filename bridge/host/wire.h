// wire.h — the JSON-RPC 2.0 line protocol on stdin/stdout (docs/wire-protocol.md).
//
// One JSON object per line, LF-terminated, each written with one WriteFile on the stdout handle
// under a lock (plug-in threads call back concurrently; no CRT buffering, so nothing lingers).
// A reader thread owns stdin: it hands responses straight to the callback call waiting for them
// (by id) and queues requests for the main thread, which serves them one at a time.
#ifndef WMPCERT_HOST_WIRE_H
#define WMPCERT_HOST_WIRE_H

#include <windows.h>

#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "../common/json.h"

// A request from the harness (or the end of stdin).
struct WireRequest {
    bool endOfInput = false;
    json::Value id;
    std::wstring method;
    json::Value params;
};

class Wire {
public:
    Wire();
    ~Wire();
    Wire(const Wire&) = delete;
    Wire& operator=(const Wire&) = delete;

    // Takes over these handles and starts the reader thread. The caller's thread becomes the one
    // that serves requests; it pumps messages while a callback call made on it waits.
    bool start(HANDLE input, HANDLE output);

    // Signalled while requests are queued.
    HANDLE requestsReady() const { return ready_; }
    bool popRequest(WireRequest& out);

    void sendResult(const json::Value& id, const std::string& resultJson);
    void sendError(const json::Value* id, int code, const std::string& message);

    // Makes a request of the harness and blocks until it answers; returns the "hr" of the result.
    // Safe from any thread. Once the harness is gone (stdin closed or stdout broken) it returns
    // RPC_E_DISCONNECTED at once.
    HRESULT call(const char* method, const std::string& paramsJson);

private:
    struct PendingCall {
        HANDLE done;
        HRESULT hr;
    };

    static DWORD WINAPI readerMain(void* self);
    void readLoop();
    void onLine(const char* data, size_t size);
    void onResponse(const json::Value& message);
    void enqueue(WireRequest&& request);
    void writeLine(const std::string& line);
    void disconnect();
    void waitFor(HANDLE event);

    HANDLE input_ = nullptr;
    HANDLE output_ = nullptr;
    HANDLE reader_ = nullptr;
    HANDLE ready_ = nullptr;
    DWORD servingThread_ = 0;

    CRITICAL_SECTION writeLock_;
    CRITICAL_SECTION stateLock_;  // guards everything below
    std::deque<WireRequest> requests_;
    std::map<int64_t, PendingCall*> pending_;
    int64_t nextId_ = 1;
    bool disconnected_ = false;
};

// The JSON-RPC error codes the host uses.
enum : int {
    kParseError = -32700,
    kInvalidRequest = -32600,
    kMethodNotFound = -32601,
    kInvalidParams = -32602,
};

#endif  // WMPCERT_HOST_WIRE_H
