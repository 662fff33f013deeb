// vtable_check.cpp — checks bridge/include/contentpartner.h against protocol.md §3: every method
// sits in the vtable slot the spec gives it, and the IIDs are the spec's.
//
// How: a probe object implements each interface, every method recording its own name. The check
// then calls vtable slot N directly — by index, with the argument types of the method the spec puts
// at N — and expects that method's name back. A method declared out of order lands in another
// slot and the wrong name comes back. (`override` in the probes catches a misspelt or mistyped
// method at compile time; an extra or missing one leaves a probe abstract or fails `override`.)
//
// Built and run by `node scripts/build-bridge.mjs --check` (under Wine on Linux). Exit 0 = match.
#include <cstdio>
#include <cstring>

#include "../include/contentpartner.h"

static_assert(sizeof(WMPTransactionType) == 4 && sizeof(WMPStreamingType) == 4 && sizeof(WMPPartnerNotification) == 4,
              "WMP enums are 32-bit ints on the wire");
static_assert(sizeof(WMPContextMenuInfo) == (sizeof(void*) == 8 ? 24 : 12), "WMPContextMenuInfo {DWORD; BSTR; BSTR}");

namespace {

const char* g_called = nullptr;
int g_failures = 0;
int g_slots = 0;

#define PROBE(Name, ...)                                             \
    HRESULT STDMETHODCALLTYPE Name(__VA_ARGS__) override {           \
        g_called = #Name;                                            \
        return S_OK;                                                 \
    }
#define PROBE_IUNKNOWN                                                                          \
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID, void**) override { return E_NOINTERFACE; } \
    ULONG STDMETHODCALLTYPE AddRef() override { return 1; }                                     \
    ULONG STDMETHODCALLTYPE Release() override { return 1; }

struct ContainerProbe : IWMPContentContainer {
    PROBE_IUNKNOWN
    PROBE(GetID, ULONG*)
    PROBE(GetPrice, BSTR*)
    PROBE(GetType, BSTR*)
    PROBE(GetContentCount, ULONG*)
    PROBE(GetContentPrice, ULONG, BSTR*)
    PROBE(GetContentID, ULONG, ULONG*)
};

struct ContainerListProbe : IWMPContentContainerList {
    PROBE_IUNKNOWN
    PROBE(GetTransactionType, WMPTransactionType*)
    PROBE(GetContainerCount, ULONG*)
    PROBE(GetContainer, ULONG, IWMPContentContainer**)
};

struct CallbackProbe : IWMPContentPartnerCallback {
    PROBE_IUNKNOWN
    PROBE(Notify, WMPCallbackNotification, VARIANT*)
    PROBE(BuyComplete, HRESULT, DWORD)
    PROBE(DownloadTrack, DWORD, BSTR, DWORD, BSTR, HRESULT)
    PROBE(GetCatalogVersion, DWORD*, DWORD*, LCID*)
    PROBE(UpdateDeviceComplete, BSTR)
    PROBE(ChangeView, BSTR, BSTR, BSTR)
    PROBE(AddListContents, DWORD, DWORD, DWORD*)
    PROBE(ListContentsComplete, DWORD, HRESULT)
    PROBE(SendMessageComplete, BSTR, BSTR, BSTR)
    PROBE(GetContentIDsInLibrary, ULONG*, ULONG**)
    PROBE(RefreshLicenseComplete, DWORD, ULONG, HRESULT)
    PROBE(ShowPopup, LONG, BSTR)
    PROBE(VerifyPermissionComplete, BSTR, VARIANT*, HRESULT)
};

struct PartnerProbe : IWMPContentPartner {
    PROBE_IUNKNOWN
    PROBE(SetCallback, IWMPContentPartnerCallback*)
    PROBE(Notify, WMPPartnerNotification, VARIANT*)
    PROBE(GetItemInfo, BSTR, VARIANT*, VARIANT*)
    PROBE(GetContentPartnerInfo, BSTR, VARIANT*)
    PROBE(GetCommands, BSTR, VARIANT*, BSTR, ULONG, ULONG*, ULONG*, WMPContextMenuInfo**)
    PROBE(InvokeCommand, DWORD, BSTR, VARIANT*, BSTR, ULONG, ULONG*)
    PROBE(CanBuySilent, IWMPContentContainerList*, BSTR*, VARIANT_BOOL*)
    PROBE(Buy, IWMPContentContainerList*, DWORD)
    PROBE(GetStreamingURL, WMPStreamingType, VARIANT*, BSTR*)
    PROBE(Download, IWMPContentContainerList*, DWORD)
    PROBE(DownloadTrackComplete, HRESULT, ULONG, BSTR)
    PROBE(RefreshLicense, DWORD, VARIANT_BOOL, BSTR, WMPStreamingType, ULONG, BSTR, VARIANT*)
    PROBE(GetCatalogURL, DWORD, DWORD, LCID, DWORD*, BSTR*, VARIANT*)
    PROBE(GetTemplate, WMPTaskType, BSTR, VARIANT*, BSTR, VARIANT*, BSTR, BSTR, BSTR*, WMPTemplateSize*)
    PROBE(UpdateDevice, BSTR)
    PROBE(GetListContents, BSTR, VARIANT*, BSTR, BSTR, DWORD)
    PROBE(Login, BLOB, BLOB, VARIANT_BOOL, VARIANT_BOOL)
    PROBE(Authenticate, BLOB, BLOB)
    PROBE(Logout)
    PROBE(SendMessage, BSTR, BSTR)  // spelled SendMessageW after <windows.h>; the slot is what counts
    PROBE(StationEvent, BSTR, ULONG, ULONG, ULONG, BSTR, DWORD)
    PROBE(CompareContainerListPrices, IWMPContentContainerList*, IWMPContentContainerList*, long*)
    PROBE(VerifyPermission, BSTR, VARIANT*)
};

// Calls vtable slot `slot` of obj as a method with the parameter types of `member` (only its type
// is used, never its own dispatch), default arguments, and checks which method ran.
template <class I, class... A>
void checkSlot(I* obj, const char* iface, int slot, HRESULT (STDMETHODCALLTYPE I::*)(A...), const char* name) {
    typedef HRESULT(STDMETHODCALLTYPE * SlotFn)(I*, A...);
    SlotFn fn = reinterpret_cast<SlotFn>((*reinterpret_cast<void***>(obj))[slot]);
    g_called = nullptr;
    fn(obj, A{}...);
    ++g_slots;
    if (g_called == nullptr || std::strcmp(g_called, name) != 0) {
        ++g_failures;
        std::printf("MISMATCH %s slot %d: protocol.md says %s, the header has %s there\n", iface, slot, name,
                    g_called ? g_called : "(nothing)");
    }
}

#define SLOT(obj, I, n, Name) checkSlot<I>(&obj, #I, n, &I::Name, #Name)

void checkIid(const IID& iid, const wchar_t* spec, const char* name) {
    IID expected;
    if (FAILED(IIDFromString(spec, &expected)) || !IsEqualIID(iid, expected)) {
        ++g_failures;
        std::printf("MISMATCH IID_%s is not %ls\n", name, spec);
    }
}

}  // namespace

int main() {
    // protocol.md §3.1
    ContainerListProbe list;
    SLOT(list, IWMPContentContainerList, 3, GetTransactionType);
    SLOT(list, IWMPContentContainerList, 4, GetContainerCount);
    SLOT(list, IWMPContentContainerList, 5, GetContainer);
    // §3.2
    ContainerProbe container;
    SLOT(container, IWMPContentContainer, 3, GetID);
    SLOT(container, IWMPContentContainer, 4, GetPrice);
    SLOT(container, IWMPContentContainer, 5, GetType);
    SLOT(container, IWMPContentContainer, 6, GetContentCount);
    SLOT(container, IWMPContentContainer, 7, GetContentPrice);
    SLOT(container, IWMPContentContainer, 8, GetContentID);
    // §3.3
    PartnerProbe partner;
    SLOT(partner, IWMPContentPartner, 3, SetCallback);
    SLOT(partner, IWMPContentPartner, 4, Notify);
    SLOT(partner, IWMPContentPartner, 5, GetItemInfo);
    SLOT(partner, IWMPContentPartner, 6, GetContentPartnerInfo);
    SLOT(partner, IWMPContentPartner, 7, GetCommands);
    SLOT(partner, IWMPContentPartner, 8, InvokeCommand);
    SLOT(partner, IWMPContentPartner, 9, CanBuySilent);
    SLOT(partner, IWMPContentPartner, 10, Buy);
    SLOT(partner, IWMPContentPartner, 11, GetStreamingURL);
    SLOT(partner, IWMPContentPartner, 12, Download);
    SLOT(partner, IWMPContentPartner, 13, DownloadTrackComplete);
    SLOT(partner, IWMPContentPartner, 14, RefreshLicense);
    SLOT(partner, IWMPContentPartner, 15, GetCatalogURL);
    SLOT(partner, IWMPContentPartner, 16, GetTemplate);
    SLOT(partner, IWMPContentPartner, 17, UpdateDevice);
    SLOT(partner, IWMPContentPartner, 18, GetListContents);
    SLOT(partner, IWMPContentPartner, 19, Login);
    SLOT(partner, IWMPContentPartner, 20, Authenticate);
    SLOT(partner, IWMPContentPartner, 21, Logout);
    SLOT(partner, IWMPContentPartner, 22, SendMessage);
    SLOT(partner, IWMPContentPartner, 23, StationEvent);
    SLOT(partner, IWMPContentPartner, 24, CompareContainerListPrices);
    SLOT(partner, IWMPContentPartner, 25, VerifyPermission);
    // §3.4
    CallbackProbe callback;
    SLOT(callback, IWMPContentPartnerCallback, 3, Notify);
    SLOT(callback, IWMPContentPartnerCallback, 4, BuyComplete);
    SLOT(callback, IWMPContentPartnerCallback, 5, DownloadTrack);
    SLOT(callback, IWMPContentPartnerCallback, 6, GetCatalogVersion);
    SLOT(callback, IWMPContentPartnerCallback, 7, UpdateDeviceComplete);
    SLOT(callback, IWMPContentPartnerCallback, 8, ChangeView);
    SLOT(callback, IWMPContentPartnerCallback, 9, AddListContents);
    SLOT(callback, IWMPContentPartnerCallback, 10, ListContentsComplete);
    SLOT(callback, IWMPContentPartnerCallback, 11, SendMessageComplete);
    SLOT(callback, IWMPContentPartnerCallback, 12, GetContentIDsInLibrary);
    SLOT(callback, IWMPContentPartnerCallback, 13, RefreshLicenseComplete);
    SLOT(callback, IWMPContentPartnerCallback, 14, ShowPopup);
    SLOT(callback, IWMPContentPartnerCallback, 15, VerifyPermissionComplete);

    checkIid(IID_IWMPContentContainerList, L"{A9937F78-0802-4AF8-8B8D-E3F045BC8AB5}", "IWMPContentContainerList");
    checkIid(IID_IWMPContentContainer, L"{AD7F4D9C-1A9F-4ED2-9815-ECC0B58CB616}", "IWMPContentContainer");
    checkIid(IID_IWMPContentPartner, L"{55455073-41B5-4E75-87B8-F13BDB291D08}", "IWMPContentPartner");
    checkIid(IID_IWMPContentPartnerCallback, L"{9E8F7DA2-0695-403C-B697-DA10FAFAA676}", "IWMPContentPartnerCallback");

    if (g_failures) {
        std::printf("vtable check FAILED: %d mismatch(es)\n", g_failures);
        return 1;
    }
    std::printf("vtable check: %d slots of 4 interfaces and 4 IIDs match protocol.md section 3 (%d-bit)\n", g_slots,
                static_cast<int>(sizeof(void*) * 8));
    return 0;
}
