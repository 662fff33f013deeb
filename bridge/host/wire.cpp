// wire.cpp — see wire.h.
#include "wire.h"

#include "log.h"

namespace {

std::string idJson(const json::Value& id) {
    if (id.isInteger()) return std::to_string(id.integer);
    if (id.isString()) {
        std::string out;
        json::appendString(out, id.text);
        return out;
    }
    return "null";
}

std::string narrow(const std::wstring& ascii) {
    std::string out;
    for (wchar_t c : ascii) out.push_back(c < 0x80 ? static_cast<char>(c) : '?');
    return out;
}

}  // namespace

Wire::Wire() {
    InitializeCriticalSection(&writeLock_);
    InitializeCriticalSection(&stateLock_);
    ready_ = CreateEventW(nullptr, TRUE, FALSE, nullptr);
}

Wire::~Wire() {
    // The process ends without destroying the Wire (the reader thread may still block in ReadFile).
}

bool Wire::start(HANDLE input, HANDLE output) {
    input_ = input;
    output_ = output;
    servingThread_ = GetCurrentThreadId();
    reader_ = CreateThread(nullptr, 0, &Wire::readerMain, this, 0, nullptr);
    return reader_ != nullptr && ready_ != nullptr;
}

DWORD WINAPI Wire::readerMain(void* self) {
    static_cast<Wire*>(self)->readLoop();
    return 0;
}

void Wire::readLoop() {
    std::string buffer;
    char chunk[65536];
    for (;;) {
        DWORD got = 0;
        if (!ReadFile(input_, chunk, sizeof(chunk), &got, nullptr) || got == 0) break;  // EOF or broken pipe
        buffer.append(chunk, got);
        size_t start = 0;
        for (size_t nl; (nl = buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
            size_t end = nl;
            if (end > start && buffer[end - 1] == '\r') --end;
            if (end > start) onLine(buffer.data() + start, end - start);
        }
        buffer.erase(0, start);
    }
    if (!buffer.empty()) onLine(buffer.data(), buffer.size());  // a last line without its LF
    disconnect();
}

void Wire::onLine(const char* data, size_t size) {
    json::Value message;
    std::string error;
    if (!json::parse(data, size, message, &error)) {
        logf("unreadable line from the harness (%s)", error.c_str());
        sendError(nullptr, kParseError, "parse error: " + error);
        return;
    }
    if (message.kind != json::Kind::Object) {
        sendError(nullptr, kInvalidRequest, "a message must be a JSON object");
        return;
    }
    const json::Value* method = message.find(L"method");
    if (method == nullptr) {
        onResponse(message);
        return;
    }
    const json::Value* id = message.find(L"id");
    if (!method->isString()) {
        sendError(id, kInvalidRequest, "method must be a string");
        return;
    }
    WireRequest request;
    if (id) request.id = *id;
    request.method = method->text;
    if (const json::Value* params = message.find(L"params")) request.params = *params;
    enqueue(std::move(request));
}

void Wire::onResponse(const json::Value& message) {
    const json::Value* id = message.find(L"id");
    if (id == nullptr || !id->isInteger()) {
        logf("a response without a numeric id from the harness: ignored");
        return;
    }
    HRESULT hr = RPC_E_SERVERFAULT;  // an error response: the Player's side of the call failed
    if (const json::Value* result = message.find(L"result")) {
        const json::Value* value = result->find(L"hr");
        if (value && value->isInteger() && value->integer >= -2147483648LL && value->integer <= 0xFFFFFFFFLL) {
            hr = static_cast<HRESULT>(static_cast<uint32_t>(value->integer));  // bit-exact, either spelling
        } else {
            logf("response %lld carries no valid hr: the call returns E_UNEXPECTED",
                 static_cast<long long>(id->integer));
            hr = E_UNEXPECTED;
        }
    } else if (const json::Value* err = message.find(L"error")) {
        const json::Value* text = err->find(L"message");
        logf("the harness answered call %lld with an error: %s", static_cast<long long>(id->integer),
             text && text->isString() ? narrow(text->text).c_str() : "(no message)");
    }
    EnterCriticalSection(&stateLock_);
    auto it = pending_.find(id->integer);
    bool known = it != pending_.end();
    if (known) {
        it->second->hr = hr;
        SetEvent(it->second->done);
        pending_.erase(it);
    }
    LeaveCriticalSection(&stateLock_);
    if (!known) logf("a response to unknown call %lld: ignored", static_cast<long long>(id->integer));
}

void Wire::enqueue(WireRequest&& request) {
    EnterCriticalSection(&stateLock_);
    requests_.push_back(std::move(request));
    SetEvent(ready_);
    LeaveCriticalSection(&stateLock_);
}

bool Wire::popRequest(WireRequest& out) {
    EnterCriticalSection(&stateLock_);
    bool got = !requests_.empty();
    if (got) {
        out = std::move(requests_.front());
        requests_.pop_front();
    }
    if (requests_.empty()) ResetEvent(ready_);
    LeaveCriticalSection(&stateLock_);
    return got;
}

void Wire::disconnect() {
    EnterCriticalSection(&stateLock_);
    bool first = !disconnected_;
    disconnected_ = true;
    for (auto& entry : pending_) {
        entry.second->hr = RPC_E_DISCONNECTED;
        SetEvent(entry.second->done);
    }
    pending_.clear();
    if (first) {
        WireRequest end;
        end.endOfInput = true;
        requests_.push_back(std::move(end));
        SetEvent(ready_);
    }
    LeaveCriticalSection(&stateLock_);
}

void Wire::writeLine(const std::string& message) {
    std::string line = message;
    line.push_back('\n');  // LF only
    bool failed = false;
    EnterCriticalSection(&writeLock_);
    const char* p = line.data();
    size_t left = line.size();
    while (left > 0) {
        DWORD written = 0;
        if (!WriteFile(output_, p, static_cast<DWORD>(left), &written, nullptr) || written == 0) {
            failed = true;
            break;
        }
        p += written;
        left -= written;
    }
    LeaveCriticalSection(&writeLock_);
    if (failed) {
        logf("stdout is closed (error %lu): the harness is gone", GetLastError());
        disconnect();
    }
}

void Wire::sendResult(const json::Value& id, const std::string& resultJson) {
    writeLine("{\"jsonrpc\":\"2.0\",\"id\":" + idJson(id) + ",\"result\":" + resultJson + "}");
}

void Wire::sendError(const json::Value* id, int code, const std::string& message) {
    std::string text;
    json::appendUtf8(text, message.c_str());
    writeLine("{\"jsonrpc\":\"2.0\",\"id\":" + (id ? idJson(*id) : std::string("null")) +
              ",\"error\":{\"code\":" + std::to_string(code) + ",\"message\":" + text + "}}");
}

HRESULT Wire::call(const char* method, const std::string& paramsJson) {
    PendingCall pendingCall{CreateEventW(nullptr, TRUE, FALSE, nullptr), E_UNEXPECTED};
    if (pendingCall.done == nullptr) return E_OUTOFMEMORY;
    EnterCriticalSection(&stateLock_);
    if (disconnected_) {
        LeaveCriticalSection(&stateLock_);
        CloseHandle(pendingCall.done);
        return RPC_E_DISCONNECTED;
    }
    int64_t id = nextId_++;
    pending_[id] = &pendingCall;
    LeaveCriticalSection(&stateLock_);

    std::string name;
    json::appendUtf8(name, method);
    writeLine("{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(id) + ",\"method\":" + name +
              ",\"params\":" + paramsJson + "}");
    waitFor(pendingCall.done);

    EnterCriticalSection(&stateLock_);
    pending_.erase(id);  // already gone when answered; this covers nothing else
    HRESULT hr = pendingCall.hr;
    LeaveCriticalSection(&stateLock_);
    CloseHandle(pendingCall.done);
    return hr;
}

// On the serving thread (an STA) a wait must keep the message queue moving, or apartment-threaded
// plug-in objects that post to it would deadlock. Plug-in threads just block, as they would in a
// direct call: pumping their queues would steal the thread messages they run on.
void Wire::waitFor(HANDLE event) {
    if (GetCurrentThreadId() != servingThread_) {
        WaitForSingleObject(event, INFINITE);
        return;
    }
    for (;;) {
        DWORD w = MsgWaitForMultipleObjectsEx(1, &event, INFINITE, QS_ALLINPUT, MWMO_INPUTAVAILABLE);
        if (w == WAIT_OBJECT_0) return;
        MSG msg;
        while (PeekMessageW(&msg, nullptr, 0, 0, PM_REMOVE)) {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
    }
}
