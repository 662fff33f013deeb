// plugin_loader.cpp — see plugin_loader.h.
#include "plugin_loader.h"

#include <oleauto.h>

#include <vector>

#include "log.h"

namespace {

std::string hresultText(HRESULT hr) {
    char buf[16];
    snprintf(buf, sizeof(buf), "0x%08lX", static_cast<unsigned long>(hr));
    return buf;
}

std::string win32Message(DWORD code) {
    wchar_t* text = nullptr;
    FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                   nullptr, code, 0, reinterpret_cast<wchar_t*>(&text), 0, nullptr);
    std::string out = text ? toUtf8(text) : std::string();
    if (text) LocalFree(text);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) out.pop_back();
    return out + " (error " + std::to_string(code) + ")";
}

// Under Wine a Unix path ("/tmp/x/store.dll") means nothing to LoadLibrary (it would look on the
// current drive); wine_get_dos_file_name turns it into its Z:\ form. On Windows it is not there.
std::wstring resolvePath(const std::wstring& path) {
    if (!path.empty() && path[0] == L'/') {
        typedef wchar_t*(CDECL * WineGetDosFileNameFn)(const char*);
        auto wineGetDosFileName = reinterpret_cast<WineGetDosFileNameFn>(
            reinterpret_cast<void*>(GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "wine_get_dos_file_name")));
        if (wineGetDosFileName) {
            if (wchar_t* dos = wineGetDosFileName(toUtf8(path).c_str())) {
                std::wstring out = dos;
                HeapFree(GetProcessHeap(), 0, dos);
                return out;
            }
        }
    }
    wchar_t full[32768];
    DWORD n = GetFullPathNameW(path.c_str(), 32768, full, nullptr);
    return (n > 0 && n < 32768) ? std::wstring(full, n) : path;
}

std::string fileVersion(const std::wstring& path) {
    DWORD ignored = 0;
    DWORD size = GetFileVersionInfoSizeW(path.c_str(), &ignored);
    if (size == 0) return "unknown";
    std::vector<unsigned char> data(size);
    if (!GetFileVersionInfoW(path.c_str(), 0, size, data.data())) return "unknown";
    VS_FIXEDFILEINFO* info = nullptr;
    UINT length = 0;
    if (!VerQueryValueW(data.data(), L"\\", reinterpret_cast<void**>(&info), &length) || info == nullptr ||
        length < sizeof(VS_FIXEDFILEINFO)) {
        return "unknown";
    }
    char text[64];
    snprintf(text, sizeof(text), "%u.%u.%u.%u", HIWORD(info->dwFileVersionMS), LOWORD(info->dwFileVersionMS),
             HIWORD(info->dwFileVersionLS), LOWORD(info->dwFileVersionLS));
    return text;
}

}  // namespace

std::string toUtf8(const std::wstring& text) {
    if (text.empty()) return std::string();
    int n = WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0, nullptr, nullptr);
    std::string out(n, '\0');
    WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), &out[0], n, nullptr, nullptr);
    return out;
}

bool parseClsid(const std::wstring& text, CLSID* out) {
    std::wstring braced = text;
    if (braced.empty() || braced[0] != L'{') braced = L"{" + braced + L"}";
    if (braced.size() != 38) return false;
    return SUCCEEDED(IIDFromString(braced.c_str(), out));  // IIDFromString: no ProgID lookup in the registry
}

std::string clsidToString(const CLSID& clsid) {
    wchar_t text[64];
    StringFromGUID2(clsid, text, 64);
    return toUtf8(text);
}

bool PluginModule::load(const std::wstring& rawPath, const CLSID* clsid, std::string* error) {
    std::wstring path = resolvePath(rawPath);
    size_t slash = path.find_last_of(L"\\/");
    fileName_ = toUtf8(slash == std::wstring::npos ? path : path.substr(slash + 1));

    // LOAD_WITH_ALTERED_SEARCH_PATH: the plug-in's own dependencies are found next to it.
    module_ = LoadLibraryExW(path.c_str(), nullptr, LOAD_WITH_ALTERED_SEARCH_PATH);
    if (module_ == nullptr) {
        DWORD code = GetLastError();
        *error = "cannot load " + toUtf8(path) + ": " + win32Message(code);
        if (code == ERROR_BAD_EXE_FORMAT) {
            *error += sizeof(void*) == 8 ? "; a 32-bit DLL needs the x86 bridge (bridge/bin/x86/wmpcert-com-host.exe)"
                                         : "; a 64-bit DLL needs the x64 bridge (bridge/bin/x64/wmpcert-com-host.exe)";
        }
        return false;
    }
    getClassObject_ = reinterpret_cast<DllGetClassObjectFn>(
        reinterpret_cast<void*>(GetProcAddress(module_, "DllGetClassObject")));
    if (getClassObject_ == nullptr) {
        *error = fileName_ + " exports no DllGetClassObject: it is not a COM in-process server";
        return false;
    }
    version_ = fileVersion(path);

    if (clsid) {
        clsid_ = *clsid;
    } else if (!discoverClass(path, error)) {
        return false;
    }
    clsidText_ = clsidToString(clsid_);
    HRESULT hr = getClassObject_(clsid_, IID_IClassFactory, reinterpret_cast<void**>(&factory_));
    if (FAILED(hr) || factory_ == nullptr) {
        *error = fileName_ + ": DllGetClassObject(" + clsidText_ + ") failed with " + hresultText(hr) +
                 "; check the class with --clsid";
        factory_ = nullptr;
        return false;
    }
    IWMPContentPartner* probe = nullptr;
    hr = createInstance(&probe);
    if (FAILED(hr)) {
        *error = fileName_ + ": class " + clsidText_ + " gives no IWMPContentPartner (" + hresultText(hr) +
                 "); pass the store class with --clsid {GUID}";
        return false;
    }
    probe->Release();
    return true;
}

HRESULT PluginModule::createFrom(const CLSID& clsid, IWMPContentPartner** out) {
    *out = nullptr;
    IClassFactory* factory = nullptr;
    HRESULT hr = getClassObject_(clsid, IID_IClassFactory, reinterpret_cast<void**>(&factory));
    if (FAILED(hr)) return hr;
    IUnknown* object = nullptr;
    hr = factory->CreateInstance(nullptr, IID_IUnknown, reinterpret_cast<void**>(&object));
    factory->Release();
    if (FAILED(hr)) return hr;
    hr = object->QueryInterface(IID_IWMPContentPartner, reinterpret_cast<void**>(out));
    object->Release();
    return hr;
}

HRESULT PluginModule::createInstance(IWMPContentPartner** out) {
    *out = nullptr;
    if (factory_ == nullptr) return E_UNEXPECTED;
    IUnknown* object = nullptr;
    HRESULT hr = factory_->CreateInstance(nullptr, IID_IUnknown, reinterpret_cast<void**>(&object));
    if (FAILED(hr)) return hr;
    if (object == nullptr) return E_POINTER;
    hr = object->QueryInterface(IID_IWMPContentPartner, reinterpret_cast<void**>(out));
    object->Release();
    return hr;
}

// Reads the type library embedded in the DLL (resource TYPELIB 1) without registering it, and
// keeps the coclasses whose instance answers IWMPContentPartner. Exactly one must remain.
bool PluginModule::discoverClass(const std::wstring& path, std::string* error) {
    const std::string fix = "; name the class with --clsid {GUID}";
    ITypeLib* library = nullptr;
    HRESULT hr = LoadTypeLibEx(path.c_str(), REGKIND_NONE, &library);
    if (FAILED(hr)) {
        *error = fileName_ + " has no embedded type library to find its class in (LoadTypeLibEx: " +
                 hresultText(hr) + ")" + fix;
        return false;
    }
    std::vector<std::pair<CLSID, std::string>> found;
    std::string others;
    UINT count = library->GetTypeInfoCount();
    for (UINT i = 0; i < count; ++i) {
        TYPEKIND kind;
        if (FAILED(library->GetTypeInfoType(i, &kind)) || kind != TKIND_COCLASS) continue;
        ITypeInfo* info = nullptr;
        if (FAILED(library->GetTypeInfo(i, &info))) continue;
        TYPEATTR* attr = nullptr;
        if (SUCCEEDED(info->GetTypeAttr(&attr))) {
            CLSID clsid = attr->guid;
            info->ReleaseTypeAttr(attr);
            BSTR name = nullptr;
            library->GetDocumentation(static_cast<INT>(i), &name, nullptr, nullptr, nullptr);
            std::string label = (name ? toUtf8(name) : std::string("?")) + " " + clsidToString(clsid);
            SysFreeString(name);
            IWMPContentPartner* partner = nullptr;
            if (SUCCEEDED(createFrom(clsid, &partner)) && partner) {
                partner->Release();
                found.emplace_back(clsid, label);
            } else {
                others += (others.empty() ? "" : ", ") + label;
            }
        }
        info->Release();
    }
    library->Release();
    if (found.size() == 1) {
        clsid_ = found[0].first;
        logf("%s: using class %s, the only one of its type library that implements IWMPContentPartner",
             fileName_.c_str(), found[0].second.c_str());
        return true;
    }
    if (found.empty()) {
        *error = fileName_ + ": no class of its type library gives an IWMPContentPartner" +
                 (others.empty() ? std::string(" (it lists no coclass)") : " (tried " + others + ")") + fix;
    } else {
        std::string list;
        for (const auto& f : found) list += (list.empty() ? "" : ", ") + f.second;
        *error = fileName_ + " has " + std::to_string(found.size()) +
                 " classes that implement IWMPContentPartner (" + list + ")" + fix;
    }
    return false;
}
