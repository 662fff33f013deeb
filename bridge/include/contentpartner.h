// contentpartner.h — the Windows Media Player 11 "Type 1 online store" content-partner interfaces,
// declared by hand: mingw-w64 ships no contentpartner.h. Shared by the COM host bridge and the
// fixture plug-ins.
//
// Source of truth: /work/shared/spec/protocol.md §3 (IIDs, vtable order, signatures) and §4
// (enumerations, WMPContextMenuInfo). The order of the virtual methods below IS the vtable: do not
// reorder, insert or remove a method. bridge/tests/vtable_check.cpp checks every slot number against
// protocol.md §3 (build it with `node scripts/build-bridge.mjs --check`).
//
// Note: <windows.h> #defines SendMessage as SendMessageW, so IWMPContentPartner::SendMessage is
// spelled SendMessageW after preprocessing, in the declaration and at every call site alike; the
// vtable slot is all COM looks at, so this is harmless as long as <windows.h> comes first.
#ifndef WMPCERT_CONTENTPARTNER_H
#define WMPCERT_CONTENTPARTNER_H

#include <windows.h>
#include <objbase.h>
#include <oaidl.h>

// ---- enumerations (protocol.md §4; 32-bit ints) ---------------------------------------------------

enum WMPPartnerNotification {
    wmpsnBackgroundProcessingBegin = 1,
    wmpsnBackgroundProcessingEnd = 2,
    wmpsnCatalogDownloadFailure = 3,
    wmpsnCatalogDownloadComplete = 4,
};

enum WMPCallbackNotification {
    wmpcnLoginStateChange = 1,
    wmpcnAuthResult = 2,
    wmpcnLicenseUpdated = 3,
    wmpcnNewCatalogAvailable = 4,
    wmpcnNewPluginAvailable = 5,
    wmpcnDisableRadioSkipping = 6,
};

enum WMPTaskType { wmpttBrowse = 1, wmpttSync = 2, wmpttBurn = 3, wmpttCurrent = 4 };
enum WMPTemplateSize { wmptsSmall = 0, wmptsMedium = 1, wmptsLarge = 2 };
enum WMPStreamingType { wmpstUnknown = 0, wmpstMusic = 1, wmpstVideo = 2, wmpstRadio = 3 };
enum WMPTransactionType { wmpttNoTransaction = 0, wmpttDownload = 1, wmpttBuy = 2 };
enum WMPAccountType { wmpatBuyOnly = 1, wmpatSubscription = 2, wmpatJanus = 3 };

struct WMPContextMenuInfo {
    DWORD dwID;
    BSTR bstrMenuText;
    BSTR bstrHelpText;
};

// g_knReservedCPTrackID_NotFound: the reserved "no such track" ID (also GetID's "not an album/list").
static const DWORD g_knReservedCPTrackID_NotFound = 0xFFFFFFFFu;

// ---- interface identifiers (protocol.md §3) -------------------------------------------------------

// {A9937F78-0802-4AF8-8B8D-E3F045BC8AB5}
static const IID IID_IWMPContentContainerList =
    {0xA9937F78, 0x0802, 0x4AF8, {0x8B, 0x8D, 0xE3, 0xF0, 0x45, 0xBC, 0x8A, 0xB5}};
// {AD7F4D9C-1A9F-4ED2-9815-ECC0B58CB616}
static const IID IID_IWMPContentContainer =
    {0xAD7F4D9C, 0x1A9F, 0x4ED2, {0x98, 0x15, 0xEC, 0xC0, 0xB5, 0x8C, 0xB6, 0x16}};
// {55455073-41B5-4E75-87B8-F13BDB291D08}
static const IID IID_IWMPContentPartner =
    {0x55455073, 0x41B5, 0x4E75, {0x87, 0xB8, 0xF1, 0x3B, 0xDB, 0x29, 0x1D, 0x08}};
// {9E8F7DA2-0695-403C-B697-DA10FAFAA676}
static const IID IID_IWMPContentPartnerCallback =
    {0x9E8F7DA2, 0x0695, 0x403C, {0xB6, 0x97, 0xDA, 0x10, 0xFA, 0xFA, 0xA6, 0x76}};

// ---- the interfaces; "slot N" = vtable index (0–2 are IUnknown) -----------------------------------

// §3.2 — implemented by the Player.
struct IWMPContentContainer : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE GetID(ULONG *pContentID) = 0;                              // slot 3
    virtual HRESULT STDMETHODCALLTYPE GetPrice(BSTR *pbstrPrice) = 0;                            // slot 4
    virtual HRESULT STDMETHODCALLTYPE GetType(BSTR *pbstrType) = 0;                              // slot 5
    virtual HRESULT STDMETHODCALLTYPE GetContentCount(ULONG *pcContent) = 0;                     // slot 6
    virtual HRESULT STDMETHODCALLTYPE GetContentPrice(ULONG idxContent, BSTR *pbstrPrice) = 0;   // slot 7
    virtual HRESULT STDMETHODCALLTYPE GetContentID(ULONG idxContent, ULONG *pContentID) = 0;     // slot 8
};

// §3.1 — implemented by the Player.
struct IWMPContentContainerList : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE GetTransactionType(WMPTransactionType *pwmptt) = 0;                   // slot 3
    virtual HRESULT STDMETHODCALLTYPE GetContainerCount(ULONG *pcContainer) = 0;                            // slot 4
    virtual HRESULT STDMETHODCALLTYPE GetContainer(ULONG idxContainer, IWMPContentContainer **ppContent) = 0; // slot 5
};

// §3.4 — implemented by the Player, called by the plug-in.
struct IWMPContentPartnerCallback : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE Notify(WMPCallbackNotification type, VARIANT *pContext) = 0;   // slot 3
    virtual HRESULT STDMETHODCALLTYPE BuyComplete(HRESULT hrResult, DWORD dwBuyCookie) = 0;         // slot 4
    virtual HRESULT STDMETHODCALLTYPE DownloadTrack(DWORD cookie, BSTR bstrTrackURL,
                                                    DWORD dwServiceTrackID, BSTR bstrDownloadParams,
                                                    HRESULT hrDownload) = 0;                        // slot 5
    virtual HRESULT STDMETHODCALLTYPE GetCatalogVersion(DWORD *pdwVersion, DWORD *pdwSchemaVersion,
                                                        LCID *plcid) = 0;                           // slot 6
    virtual HRESULT STDMETHODCALLTYPE UpdateDeviceComplete(BSTR bstrDeviceName) = 0;                // slot 7
    virtual HRESULT STDMETHODCALLTYPE ChangeView(BSTR bstrType, BSTR bstrID, BSTR bstrFilter) = 0;  // slot 8
    virtual HRESULT STDMETHODCALLTYPE AddListContents(DWORD dwListCookie, DWORD cItems,
                                                      DWORD *prgItems) = 0;                         // slot 9
    virtual HRESULT STDMETHODCALLTYPE ListContentsComplete(DWORD dwListCookie, HRESULT hrSuccess) = 0; // slot 10
    virtual HRESULT STDMETHODCALLTYPE SendMessageComplete(BSTR bstrMsg, BSTR bstrParam,
                                                          BSTR bstrResult) = 0;                     // slot 11
    virtual HRESULT STDMETHODCALLTYPE GetContentIDsInLibrary(ULONG *pcContentIDs, ULONG **pprgIDs) = 0; // slot 12
    virtual HRESULT STDMETHODCALLTYPE RefreshLicenseComplete(DWORD dwCookie, ULONG contentID,
                                                             HRESULT hrRefresh) = 0;                // slot 13
    virtual HRESULT STDMETHODCALLTYPE ShowPopup(LONG lIndex, BSTR bstrParameters) = 0;              // slot 14
    virtual HRESULT STDMETHODCALLTYPE VerifyPermissionComplete(BSTR bstrPermission, VARIANT *pContext,
                                                               HRESULT hrPermission) = 0;           // slot 15
};

// §3.3 — implemented by the plug-in (the store DLL).
struct IWMPContentPartner : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE SetCallback(IWMPContentPartnerCallback *pCallback) = 0;       // slot 3
    virtual HRESULT STDMETHODCALLTYPE Notify(WMPPartnerNotification type, VARIANT *pContext) = 0;   // slot 4
    virtual HRESULT STDMETHODCALLTYPE GetItemInfo(BSTR bstrInfoName, VARIANT *pContext,
                                                  VARIANT *pData) = 0;                              // slot 5
    virtual HRESULT STDMETHODCALLTYPE GetContentPartnerInfo(BSTR bstrInfoName, VARIANT *pData) = 0; // slot 6
    virtual HRESULT STDMETHODCALLTYPE GetCommands(BSTR location, VARIANT *pLocationContext,
                                                  BSTR itemLocation, ULONG cItemIDs, ULONG *prgItemIDs,
                                                  ULONG *pcItemIDs,
                                                  WMPContextMenuInfo **pprgItems) = 0;              // slot 7
    virtual HRESULT STDMETHODCALLTYPE InvokeCommand(DWORD dwCommandID, BSTR location,
                                                    VARIANT *pLocationContext, BSTR itemLocation,
                                                    ULONG cItemIDs, ULONG *rgItemIDs) = 0;          // slot 8
    virtual HRESULT STDMETHODCALLTYPE CanBuySilent(IWMPContentContainerList *pInfo, BSTR *pbstrTotalPrice,
                                                   VARIANT_BOOL *pSilentOK) = 0;                    // slot 9
    virtual HRESULT STDMETHODCALLTYPE Buy(IWMPContentContainerList *pInfo, DWORD cookie) = 0;       // slot 10
    virtual HRESULT STDMETHODCALLTYPE GetStreamingURL(WMPStreamingType st, VARIANT *pStreamContext,
                                                      BSTR *pbstrURL) = 0;                          // slot 11
    virtual HRESULT STDMETHODCALLTYPE Download(IWMPContentContainerList *pInfo, DWORD cookie) = 0;  // slot 12
    virtual HRESULT STDMETHODCALLTYPE DownloadTrackComplete(HRESULT hrResult, ULONG contentID,
                                                            BSTR downloadTrackParam) = 0;           // slot 13
    virtual HRESULT STDMETHODCALLTYPE RefreshLicense(DWORD dwCookie, VARIANT_BOOL fLocal, BSTR bstrURL,
                                                     WMPStreamingType type, ULONG contentID,
                                                     BSTR bstrRefreshReason,
                                                     VARIANT *pReasonContext) = 0;                  // slot 14
    virtual HRESULT STDMETHODCALLTYPE GetCatalogURL(DWORD dwCatalogVersion, DWORD dwCatalogSchemaVersion,
                                                    LCID catalogLCID, DWORD *pdwNewCatalogVersion,
                                                    BSTR *pbstrCatalogURL,
                                                    VARIANT *pExpirationDate) = 0;                  // slot 15
    virtual HRESULT STDMETHODCALLTYPE GetTemplate(WMPTaskType task, BSTR location, VARIANT *pContext,
                                                  BSTR clickLocation, VARIANT *pClickContext,
                                                  BSTR bstrFilter, BSTR bstrViewParams,
                                                  BSTR *pbstrTemplateURL,
                                                  WMPTemplateSize *pTemplateSize) = 0;              // slot 16
    virtual HRESULT STDMETHODCALLTYPE UpdateDevice(BSTR bstrDeviceName) = 0;                        // slot 17
    virtual HRESULT STDMETHODCALLTYPE GetListContents(BSTR location, VARIANT *pContext,
                                                      BSTR bstrListType, BSTR bstrParams,
                                                      DWORD dwListCookie) = 0;                      // slot 18
    virtual HRESULT STDMETHODCALLTYPE Login(BLOB userInfo, BLOB pwdInfo, VARIANT_BOOL fUsedCachedCreds,
                                            VARIANT_BOOL fOkToCache) = 0;                           // slot 19
    virtual HRESULT STDMETHODCALLTYPE Authenticate(BLOB userInfo, BLOB pwdInfo) = 0;                // slot 20
    virtual HRESULT STDMETHODCALLTYPE Logout() = 0;                                                 // slot 21
    virtual HRESULT STDMETHODCALLTYPE SendMessage(BSTR bstrMsg, BSTR bstrParam) = 0;                // slot 22
    virtual HRESULT STDMETHODCALLTYPE StationEvent(BSTR bstrStationEventType, ULONG StationId,
                                                   ULONG PlaylistIndex, ULONG TrackID, BSTR TrackData,
                                                   DWORD dwSecondsPlayed) = 0;                      // slot 23
    virtual HRESULT STDMETHODCALLTYPE CompareContainerListPrices(IWMPContentContainerList *pListBase,
                                                                 IWMPContentContainerList *pListCompare,
                                                                 long *pResult) = 0;                // slot 24
    virtual HRESULT STDMETHODCALLTYPE VerifyPermission(BSTR bstrPermission, VARIANT *pContext) = 0; // slot 25
};

// __uuidof() and IID_PPV_ARGS for the four interfaces (mingw's spelling of __declspec(uuid)).
#ifdef __CRT_UUID_DECL
__CRT_UUID_DECL(IWMPContentContainer, 0xAD7F4D9C, 0x1A9F, 0x4ED2, 0x98, 0x15, 0xEC, 0xC0, 0xB5, 0x8C, 0xB6, 0x16)
__CRT_UUID_DECL(IWMPContentContainerList, 0xA9937F78, 0x0802, 0x4AF8, 0x8B, 0x8D, 0xE3, 0xF0, 0x45, 0xBC, 0x8A, 0xB5)
__CRT_UUID_DECL(IWMPContentPartner, 0x55455073, 0x41B5, 0x4E75, 0x87, 0xB8, 0xF1, 0x3B, 0xDB, 0x29, 0x1D, 0x08)
__CRT_UUID_DECL(IWMPContentPartnerCallback, 0x9E8F7DA2, 0x0695, 0x403C, 0xB6, 0x97, 0xDA, 0x10, 0xFA, 0xFA, 0xA6, 0x76)
#endif

#endif  // WMPCERT_CONTENTPARTNER_H
