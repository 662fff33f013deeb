// session.h — serves the harness's requests on the main (STA) thread: one plug-in object per
// instance number ("instances": "many"), each with its own PlayerCallback.
#ifndef WMPCERT_HOST_SESSION_H
#define WMPCERT_HOST_SESSION_H

#include <cstdint>
#include <map>
#include <string>

#include "callback.h"
#include "plugin_loader.h"
#include "wire.h"

class Session {
public:
    Session(Wire& wire, PluginModule& plugin) : wire_(wire), plugin_(plugin) {}

    // Serves one request and answers it. Returns false once the session is over (shutdown).
    bool serve(const WireRequest& request);

    // Releases every plug-in object, then waits (at most timeoutMs, pumping messages) until the
    // plug-ins have released the host's objects too.
    void releaseAll(DWORD timeoutMs);

private:
    struct Instance {
        IWMPContentPartner* partner = nullptr;
        PlayerCallback* callback = nullptr;
    };

    // What a handler returns: a result object, or a JSON-RPC error.
    struct Outcome {
        bool ok = true;
        std::string result;
        int code = 0;
        std::string message;

        static Outcome hr(HRESULT value);
        static Outcome error(int code, const std::string& message);
    };

    Outcome initialize();
    Outcome create(const json::Value& params);
    Outcome release(const json::Value& params);
    Outcome setCallback(const json::Value& params);
    Outcome download(const json::Value& params, bool buy);
    Outcome downloadTrackComplete(const json::Value& params);
    Outcome canBuySilent(const json::Value& params);
    Outcome refreshLicense(const json::Value& params);
    Outcome sendMessage(const json::Value& params);

    // The instance the params name, or nullptr with the error to answer.
    Instance* findInstance(const json::Value& params, Outcome* error);

    Wire& wire_;
    PluginModule& plugin_;
    std::map<int64_t, Instance> instances_;
};

#endif  // WMPCERT_HOST_SESSION_H
