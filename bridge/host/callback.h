// callback.h — the Player's IWMPContentPartnerCallback, one per plug-in instance.
//
// DownloadTrack, BuyComplete, RefreshLicenseComplete and SendMessageComplete become wire requests
// (downloadTrack, buyComplete, refreshLicenseComplete, sendMessageComplete) naming the instance;
// the call returns the HRESULT the harness answers. The other methods have no wire counterpart:
// they are logged to stderr and answered as a Player with nothing to say would (S_OK, an empty
// library, catalog version 0).
//
// Calls arrive on any thread (the object aggregates the free-threaded marshaler) and are forwarded
// even after release or setCallback(false): the harness, not the bridge, judges late calls.
#ifndef WMPCERT_HOST_CALLBACK_H
#define WMPCERT_HOST_CALLBACK_H

#include <cstdint>

#include "../include/contentpartner.h"
#include "com_object.h"
#include "wire.h"

class PlayerCallback final : public IWMPContentPartnerCallback, private HostObject {
public:
    // Returns a new object holding one reference.
    static PlayerCallback* create(Wire& wire, int64_t instance);

    // IUnknown
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override;
    ULONG STDMETHODCALLTYPE AddRef() override { return addRef(); }
    ULONG STDMETHODCALLTYPE Release() override { return release(); }

    // IWMPContentPartnerCallback
    HRESULT STDMETHODCALLTYPE Notify(WMPCallbackNotification type, VARIANT* pContext) override;
    HRESULT STDMETHODCALLTYPE BuyComplete(HRESULT hrResult, DWORD dwBuyCookie) override;
    HRESULT STDMETHODCALLTYPE DownloadTrack(DWORD cookie, BSTR bstrTrackURL, DWORD dwServiceTrackID,
                                            BSTR bstrDownloadParams, HRESULT hrDownload) override;
    HRESULT STDMETHODCALLTYPE GetCatalogVersion(DWORD* pdwVersion, DWORD* pdwSchemaVersion, LCID* plcid) override;
    HRESULT STDMETHODCALLTYPE UpdateDeviceComplete(BSTR bstrDeviceName) override;
    HRESULT STDMETHODCALLTYPE ChangeView(BSTR bstrType, BSTR bstrID, BSTR bstrFilter) override;
    HRESULT STDMETHODCALLTYPE AddListContents(DWORD dwListCookie, DWORD cItems, DWORD* prgItems) override;
    HRESULT STDMETHODCALLTYPE ListContentsComplete(DWORD dwListCookie, HRESULT hrSuccess) override;
    HRESULT STDMETHODCALLTYPE SendMessageComplete(BSTR bstrMsg, BSTR bstrParam, BSTR bstrResult) override;
    HRESULT STDMETHODCALLTYPE GetContentIDsInLibrary(ULONG* pcContentIDs, ULONG** pprgIDs) override;
    HRESULT STDMETHODCALLTYPE RefreshLicenseComplete(DWORD dwCookie, ULONG contentID, HRESULT hrRefresh) override;
    HRESULT STDMETHODCALLTYPE ShowPopup(LONG lIndex, BSTR bstrParameters) override;
    HRESULT STDMETHODCALLTYPE VerifyPermissionComplete(BSTR bstrPermission, VARIANT* pContext,
                                                       HRESULT hrPermission) override;

private:
    PlayerCallback(Wire& wire, int64_t instance) : wire_(wire), instance_(instance) {}

    Wire& wire_;
    const int64_t instance_;
};

#endif  // WMPCERT_HOST_CALLBACK_H
