// plugin_loader.h — loads a plug-in DLL without the registry: LoadLibrary, DllGetClassObject,
// IClassFactory::CreateInstance. The class is the --clsid given, or else the only coclass of the
// DLL's embedded type library whose instance answers IID_IWMPContentPartner.
#ifndef WMPCERT_HOST_PLUGIN_LOADER_H
#define WMPCERT_HOST_PLUGIN_LOADER_H

#include <string>

#include "../include/contentpartner.h"

class PluginModule {
public:
    // Loads the DLL and finds its class. On failure, returns false with a message for stderr that
    // names the fix; the host then exits with status 2.
    bool load(const std::wstring& path, const CLSID* clsid, std::string* error);

    // A fresh plug-in object (as CoCreateInstance would give), or a failure HRESULT.
    HRESULT createInstance(IWMPContentPartner** out);

    const std::string& fileName() const { return fileName_; }  // UTF-8, e.g. "store-plugin.dll"
    const std::string& version() const { return version_; }    // file version, or "unknown"
    const std::string& clsidText() const { return clsidText_; }  // "{XXXXXXXX-XXXX-...}"

private:
    HRESULT createFrom(const CLSID& clsid, IWMPContentPartner** out);
    bool discoverClass(const std::wstring& path, std::string* error);

    typedef HRESULT(STDAPICALLTYPE* DllGetClassObjectFn)(REFCLSID, REFIID, void**);
    HMODULE module_ = nullptr;
    DllGetClassObjectFn getClassObject_ = nullptr;
    IClassFactory* factory_ = nullptr;
    CLSID clsid_ = {};
    std::string fileName_;
    std::string version_ = "unknown";
    std::string clsidText_;
};

// Parses "{GUID}" or "GUID" (braces optional).
bool parseClsid(const std::wstring& text, CLSID* out);
// "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}"
std::string clsidToString(const CLSID& clsid);
std::string toUtf8(const std::wstring& text);

#endif  // WMPCERT_HOST_PLUGIN_LOADER_H
