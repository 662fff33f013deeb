// session.cpp — see session.h. Each handler maps one wire request to one IWMPContentPartner call.
#include "session.h"

#include "com_object.h"
#include "container_list.h"
#include "log.h"

namespace {

// ---- reading params (the harness validates against the schema; these checks say what was wrong) ----

bool readDword(const json::Value& params, const wchar_t* key, DWORD* out) {
    const json::Value* v = params.find(key);
    if (v == nullptr || !v->isInteger() || v->integer < 0 || v->integer > 0xFFFFFFFFLL) return false;
    *out = static_cast<DWORD>(v->integer);
    return true;
}

// Signed or unsigned spelling, bit-exact: 2147500037 and -2147467259 are both E_FAIL.
bool readHresult(const json::Value& params, const wchar_t* key, HRESULT* out) {
    const json::Value* v = params.find(key);
    if (v == nullptr || !v->isInteger() || v->integer < -2147483648LL || v->integer > 0xFFFFFFFFLL) return false;
    *out = static_cast<HRESULT>(static_cast<uint32_t>(v->integer));
    return true;
}

bool readBool(const json::Value& params, const wchar_t* key, bool* out) {
    const json::Value* v = params.find(key);
    if (v == nullptr || v->kind != json::Kind::Bool) return false;
    *out = v->boolean;
    return true;
}

// A string or null (or missing, read as null). False only for another type.
bool readBstr(const json::Value& params, const wchar_t* key, BSTR* out) {
    *out = nullptr;
    const json::Value* v = params.find(key);
    if (v == nullptr || v->isNull()) return true;
    if (!v->isString()) return false;
    *out = json::toBstr(v);
    return true;
}

std::string hrResult(HRESULT hr) { return "{\"hr\":" + std::to_string(static_cast<long>(hr)) + "}"; }

// Frees BSTRs when a handler returns, whichever way it returns.
struct BstrHolder {
    BSTR value = nullptr;
    ~BstrHolder() { SysFreeString(value); }
};

}  // namespace

Session::Outcome Session::Outcome::hr(HRESULT value) {
    Outcome o;
    o.result = hrResult(value);
    return o;
}

Session::Outcome Session::Outcome::error(int code, const std::string& message) {
    Outcome o;
    o.ok = false;
    o.code = code;
    o.message = message;
    return o;
}

bool Session::serve(const WireRequest& request) {
    const std::wstring& m = request.method;
    const json::Value& p = request.params;
    bool more = true;
    Outcome outcome;
    if (p.kind != json::Kind::Object && !(m == L"shutdown" && p.isNull())) {
        outcome = Outcome::error(kInvalidParams, "params must be an object");
    } else if (m == L"initialize") {
        outcome = initialize();
    } else if (m == L"create") {
        outcome = create(p);
    } else if (m == L"release") {
        outcome = release(p);
    } else if (m == L"setCallback") {
        outcome = setCallback(p);
    } else if (m == L"download") {
        outcome = download(p, false);
    } else if (m == L"downloadTrackComplete") {
        outcome = downloadTrackComplete(p);
    } else if (m == L"canBuySilent") {
        outcome = canBuySilent(p);
    } else if (m == L"buy") {
        outcome = download(p, true);
    } else if (m == L"refreshLicense") {
        outcome = refreshLicense(p);
    } else if (m == L"sendMessage") {
        outcome = sendMessage(p);
    } else if (m == L"shutdown") {
        // Bounded below the harness's 1.5 s request timeout, so the answer always comes in time.
        releaseAll(1200);
        outcome = Outcome::hr(S_OK);
        more = false;
    } else {
        outcome = Outcome::error(kMethodNotFound, "unknown method " + toUtf8(m));
    }
    if (outcome.ok) wire_.sendResult(request.id, outcome.result);
    else wire_.sendError(&request.id, outcome.code, outcome.message);
    return more;
}

Session::Outcome Session::initialize() {
    json::ObjectBuilder result;
    result.utf8("name", plugin_.fileName().c_str())
        .utf8("version", plugin_.version().c_str())
        .utf8("instances", "many")
        .raw("methods", "[\"canBuySilent\",\"buy\",\"refreshLicense\",\"sendMessage\"]")
        .utf8("clsid", plugin_.clsidText().c_str());
    Outcome o;
    o.result = result.str();
    return o;
}

Session::Instance* Session::findInstance(const json::Value& params, Outcome* error) {
    const json::Value* v = params.find(L"instance");
    if (v == nullptr || !v->isInteger()) {
        *error = Outcome::error(kInvalidParams, "params.instance is missing: this host serves many instances");
        return nullptr;
    }
    auto it = instances_.find(v->integer);
    if (it == instances_.end()) {
        *error = Outcome::error(kInvalidParams, "unknown instance " + std::to_string(v->integer));
        return nullptr;
    }
    return &it->second;
}

Session::Outcome Session::create(const json::Value& params) {
    const json::Value* v = params.find(L"instance");
    if (v == nullptr || !v->isInteger() || v->integer < 1) {
        return Outcome::error(kInvalidParams, "params.instance must be a positive integer");
    }
    if (instances_.count(v->integer)) {
        return Outcome::error(kInvalidParams, "instance " + std::to_string(v->integer) + " already exists");
    }
    Instance instance;
    HRESULT hr = plugin_.createInstance(&instance.partner);
    if (FAILED(hr)) return Outcome::hr(hr);
    instance.callback = PlayerCallback::create(wire_, v->integer);
    instances_[v->integer] = instance;
    return Outcome::hr(S_OK);
}

// Drops the host's references only: SetCallback(NULL) is the harness's to send, as a Player's.
Session::Outcome Session::release(const json::Value& params) {
    Outcome error;
    Instance* instance = findInstance(params, &error);
    if (instance == nullptr) return error;
    instance->partner->Release();
    instance->callback->Release();
    instances_.erase(params.find(L"instance")->integer);
    return Outcome::hr(S_OK);
}

Session::Outcome Session::setCallback(const json::Value& params) {
    Outcome error;
    Instance* instance = findInstance(params, &error);
    if (instance == nullptr) return error;
    bool enabled = false;
    if (!readBool(params, L"enabled", &enabled)) return Outcome::error(kInvalidParams, "params.enabled must be a boolean");
    return Outcome::hr(instance->partner->SetCallback(enabled ? instance->callback : nullptr));
}

// download and buy: the same shape, {cookie, list}.
Session::Outcome Session::download(const json::Value& params, bool buy) {
    Outcome error;
    Instance* instance = findInstance(params, &error);
    if (instance == nullptr) return error;
    DWORD cookie = 0;
    if (!readDword(params, L"cookie", &cookie)) return Outcome::error(kInvalidParams, "params.cookie must be a DWORD");
    const json::Value* listValue = params.find(L"list");
    IWMPContentContainerList* list = nullptr;
    std::string why;
    if (listValue == nullptr || !buildContainerList(*listValue, &list, &why)) {
        return Outcome::error(kInvalidParams, "params.list: " + (listValue ? why : std::string("missing")));
    }
    HRESULT hr = buy ? instance->partner->Buy(list, cookie) : instance->partner->Download(list, cookie);
    list->Release();  // the plug-in holds its own reference if it reads the list later
    return Outcome::hr(hr);
}

Session::Outcome Session::downloadTrackComplete(const json::Value& params) {
    Outcome error;
    Instance* instance = findInstance(params, &error);
    if (instance == nullptr) return error;
    HRESULT result = S_OK;
    DWORD contentId = 0;
    BstrHolder param;
    if (!readHresult(params, L"hr", &result) || !readDword(params, L"contentId", &contentId) ||
        !readBstr(params, L"param", &param.value)) {
        return Outcome::error(kInvalidParams, "downloadTrackComplete needs hr, contentId and param");
    }
    return Outcome::hr(instance->partner->DownloadTrackComplete(result, contentId, param.value));
}

Session::Outcome Session::canBuySilent(const json::Value& params) {
    Outcome error;
    Instance* instance = findInstance(params, &error);
    if (instance == nullptr) return error;
    const json::Value* listValue = params.find(L"list");
    IWMPContentContainerList* list = nullptr;
    std::string why;
    if (listValue == nullptr || !buildContainerList(*listValue, &list, &why)) {
        return Outcome::error(kInvalidParams, "params.list: " + (listValue ? why : std::string("missing")));
    }
    BstrHolder total;
    VARIANT_BOOL silent = VARIANT_FALSE;
    HRESULT hr = instance->partner->CanBuySilent(list, &total.value, &silent);
    list->Release();
    json::ObjectBuilder result;
    result.integer("hr", hr);
    if (SUCCEEDED(hr)) {
        // Any non-zero VARIANT_BOOL counts as true, as C code testing `if (silentOK)` would read it.
        result.bstr("totalPrice", total.value).boolean("silentOK", silent != VARIANT_FALSE);
    }
    Outcome o;
    o.result = result.str();
    return o;
}

Session::Outcome Session::refreshLicense(const json::Value& params) {
    Outcome error;
    Instance* instance = findInstance(params, &error);
    if (instance == nullptr) return error;
    DWORD cookie = 0, type = 0, contentId = 0;
    bool local = false;
    BstrHolder url, reason, context;
    if (!readDword(params, L"cookie", &cookie) || !readBool(params, L"local", &local) ||
        !readBstr(params, L"url", &url.value) || !readDword(params, L"type", &type) ||
        !readDword(params, L"contentId", &contentId) || !readBstr(params, L"reason", &reason.value) ||
        !readBstr(params, L"reasonContext", &context.value)) {
        return Outcome::error(kInvalidParams,
                              "refreshLicense needs cookie, local, url, type, contentId, reason and reasonContext");
    }
    // pReasonContext: VT_BSTR (the device name, for a sync) or VT_EMPTY.
    VARIANT reasonContext;
    VariantInit(&reasonContext);
    if (context.value) {
        reasonContext.vt = VT_BSTR;
        reasonContext.bstrVal = context.value;  // still owned by the holder
    }
    HRESULT hr = instance->partner->RefreshLicense(cookie, local ? VARIANT_TRUE : VARIANT_FALSE, url.value,
                                                   static_cast<WMPStreamingType>(type), contentId, reason.value,
                                                   &reasonContext);
    return Outcome::hr(hr);
}

Session::Outcome Session::sendMessage(const json::Value& params) {
    Outcome error;
    Instance* instance = findInstance(params, &error);
    if (instance == nullptr) return error;
    BstrHolder msg, param;
    if (!readBstr(params, L"msg", &msg.value) || !readBstr(params, L"param", &param.value)) {
        return Outcome::error(kInvalidParams, "sendMessage needs msg and param (string or null)");
    }
    return Outcome::hr(instance->partner->SendMessage(msg.value, param.value));
}

void Session::releaseAll(DWORD timeoutMs) {
    for (auto& entry : instances_) {
        entry.second.partner->Release();
        entry.second.callback->Release();
    }
    instances_.clear();
    // The plug-ins' worker threads may still hold callbacks or lists for a moment after their
    // objects are gone; give them the time to let go, keeping this STA's queue moving meanwhile.
    DWORD start = GetTickCount();
    while (liveHostObjects() > 0) {
        DWORD elapsed = GetTickCount() - start;
        if (elapsed >= timeoutMs) {
            logf("%ld host object(s) still held by the plug-in after %lu ms; exiting anyway",
                 static_cast<long>(liveHostObjects()), static_cast<unsigned long>(timeoutMs));
            return;
        }
        MsgWaitForMultipleObjectsEx(0, nullptr, 10, QS_ALLINPUT, MWMO_INPUTAVAILABLE);
        MSG msg;
        while (PeekMessageW(&msg, nullptr, 0, 0, PM_REMOVE)) {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
    }
}
