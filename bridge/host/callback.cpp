// callback.cpp — see callback.h.
#include "callback.h"

#include "log.h"

PlayerCallback* PlayerCallback::create(Wire& wire, int64_t instance) {
    PlayerCallback* callback = new PlayerCallback(wire, instance);
    callback->aggregateFreeThreadedMarshaler(static_cast<IWMPContentPartnerCallback*>(callback));
    return callback;
}

HRESULT STDMETHODCALLTYPE PlayerCallback::QueryInterface(REFIID riid, void** ppv) {
    if (ppv == nullptr) return E_POINTER;
    if (riid == IID_IUnknown || riid == IID_IWMPContentPartnerCallback) {
        *ppv = static_cast<IWMPContentPartnerCallback*>(this);
        AddRef();
        return S_OK;
    }
    return queryMarshaler(riid, ppv);
}

// ---- the four calls that travel over the wire -------------------------------------------------------

HRESULT STDMETHODCALLTYPE PlayerCallback::DownloadTrack(DWORD cookie, BSTR bstrTrackURL, DWORD dwServiceTrackID,
                                                        BSTR bstrDownloadParams, HRESULT hrDownload) {
    json::ObjectBuilder params;
    params.integer("instance", instance_)
        .integer("cookie", cookie)
        .bstr("url", bstrTrackURL)
        .integer("trackId", dwServiceTrackID)
        .bstr("params", bstrDownloadParams)
        .integer("hr", hrDownload);  // HRESULT is a signed 32-bit integer on the wire
    return wire_.call("downloadTrack", params.str());
}

HRESULT STDMETHODCALLTYPE PlayerCallback::BuyComplete(HRESULT hrResult, DWORD dwBuyCookie) {
    json::ObjectBuilder params;
    params.integer("instance", instance_).integer("hr", hrResult).integer("cookie", dwBuyCookie);
    return wire_.call("buyComplete", params.str());
}

HRESULT STDMETHODCALLTYPE PlayerCallback::RefreshLicenseComplete(DWORD dwCookie, ULONG contentID, HRESULT hrRefresh) {
    json::ObjectBuilder params;
    params.integer("instance", instance_).integer("cookie", dwCookie).integer("contentId", contentID)
        .integer("hr", hrRefresh);
    return wire_.call("refreshLicenseComplete", params.str());
}

HRESULT STDMETHODCALLTYPE PlayerCallback::SendMessageComplete(BSTR bstrMsg, BSTR bstrParam, BSTR bstrResult) {
    json::ObjectBuilder params;
    params.integer("instance", instance_).bstr("msg", bstrMsg).bstr("param", bstrParam).bstr("result", bstrResult);
    return wire_.call("sendMessageComplete", params.str());
}

// ---- the rest: no wire counterpart; logged, answered as a quiet Player would -----------------------

HRESULT STDMETHODCALLTYPE PlayerCallback::Notify(WMPCallbackNotification type, VARIANT* pContext) {
    logf("instance %lld: Notify(%d, vt=%d)", static_cast<long long>(instance_), static_cast<int>(type),
         pContext ? static_cast<int>(pContext->vt) : -1);
    return S_OK;
}

HRESULT STDMETHODCALLTYPE PlayerCallback::GetCatalogVersion(DWORD* pdwVersion, DWORD* pdwSchemaVersion, LCID* plcid) {
    if (pdwVersion == nullptr || pdwSchemaVersion == nullptr || plcid == nullptr) return E_POINTER;
    *pdwVersion = 0;  // no catalog downloaded
    *pdwSchemaVersion = 0;
    *plcid = GetUserDefaultLCID();
    return S_OK;
}

HRESULT STDMETHODCALLTYPE PlayerCallback::UpdateDeviceComplete(BSTR) {
    logf("instance %lld: UpdateDeviceComplete (no device flow on the wire)", static_cast<long long>(instance_));
    return S_OK;
}

HRESULT STDMETHODCALLTYPE PlayerCallback::ChangeView(BSTR, BSTR, BSTR) {
    logf("instance %lld: ChangeView (no view to change)", static_cast<long long>(instance_));
    return S_OK;
}

HRESULT STDMETHODCALLTYPE PlayerCallback::AddListContents(DWORD dwListCookie, DWORD cItems, DWORD*) {
    logf("instance %lld: AddListContents(%lu, %lu items) (no list flow on the wire)",
         static_cast<long long>(instance_), static_cast<unsigned long>(dwListCookie),
         static_cast<unsigned long>(cItems));
    return S_OK;
}

HRESULT STDMETHODCALLTYPE PlayerCallback::ListContentsComplete(DWORD dwListCookie, HRESULT hrSuccess) {
    logf("instance %lld: ListContentsComplete(%lu, 0x%08lX)", static_cast<long long>(instance_),
         static_cast<unsigned long>(dwListCookie), static_cast<unsigned long>(hrSuccess));
    return S_OK;
}

HRESULT STDMETHODCALLTYPE PlayerCallback::GetContentIDsInLibrary(ULONG* pcContentIDs, ULONG** pprgIDs) {
    if (pcContentIDs == nullptr || pprgIDs == nullptr) return E_POINTER;
    *pcContentIDs = 0;  // an empty library
    *pprgIDs = nullptr;
    return S_OK;
}

HRESULT STDMETHODCALLTYPE PlayerCallback::ShowPopup(LONG lIndex, BSTR) {
    logf("instance %lld: ShowPopup(%ld) (no UI)", static_cast<long long>(instance_), static_cast<long>(lIndex));
    return S_OK;
}

HRESULT STDMETHODCALLTYPE PlayerCallback::VerifyPermissionComplete(BSTR, VARIANT*, HRESULT hrPermission) {
    logf("instance %lld: VerifyPermissionComplete(0x%08lX)", static_cast<long long>(instance_),
         static_cast<unsigned long>(hrPermission));
    return S_OK;
}
