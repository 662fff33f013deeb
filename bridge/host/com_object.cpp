// com_object.cpp — see com_object.h.
#include "com_object.h"

#include "log.h"

namespace {
volatile LONG g_live = 0;
}

LONG liveHostObjects() { return InterlockedCompareExchange(&g_live, 0, 0); }

HostObject::HostObject() { InterlockedIncrement(&g_live); }

HostObject::~HostObject() {
    if (marshaler_) marshaler_->Release();
    InterlockedDecrement(&g_live);
}

void HostObject::aggregateFreeThreadedMarshaler(IUnknown* outer) {
    HRESULT hr = CoCreateFreeThreadedMarshaler(outer, &marshaler_);
    if (FAILED(hr)) {
        marshaler_ = nullptr;
        logf("CoCreateFreeThreadedMarshaler failed (0x%08lX): the object cannot be marshaled to other threads",
             static_cast<unsigned long>(hr));
    }
}

ULONG HostObject::addRef() { return static_cast<ULONG>(InterlockedIncrement(&refs_)); }

ULONG HostObject::release() {
    LONG refs = InterlockedDecrement(&refs_);
    if (refs == 0) delete this;
    return static_cast<ULONG>(refs);
}

HRESULT HostObject::queryMarshaler(REFIID riid, void** ppv) {
    *ppv = nullptr;
    if (marshaler_ && riid == IID_IMarshal) return marshaler_->QueryInterface(riid, ppv);
    return E_NOINTERFACE;
}
