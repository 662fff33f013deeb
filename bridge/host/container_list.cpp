// container_list.cpp — see container_list.h.
#include "container_list.h"

#include <cstdint>
#include <vector>

#include "com_object.h"

namespace {

// A wire string or null, kept with its nullness (std::wstring cannot say "NULL BSTR").
struct OptionalText {
    bool isNull = true;
    std::wstring text;

    BSTR toBstr() const {
        return isNull ? nullptr : SysAllocStringLen(text.data(), static_cast<UINT>(text.size()));
    }
};

struct ItemData {
    ULONG id = 0;
    OptionalText price;
};

struct ContainerData {
    ULONG id = 0;
    std::wstring type;
    OptionalText price;
    std::vector<ItemData> items;
};

bool readDword(const json::Value& object, const wchar_t* key, ULONG* out) {
    const json::Value* v = object.find(key);
    if (v == nullptr || !v->isInteger() || v->integer < 0 || v->integer > 0xFFFFFFFFLL) return false;
    *out = static_cast<ULONG>(v->integer);
    return true;
}

bool readOptionalText(const json::Value& object, const wchar_t* key, OptionalText* out) {
    const json::Value* v = object.find(key);
    if (v == nullptr || v->isNull()) return true;  // missing or null: a NULL BSTR
    if (!v->isString()) return false;
    out->isNull = false;
    out->text = v->text;
    return true;
}

// A BSTR out-parameter from an optional string; E_OUTOFMEMORY when a non-null copy fails.
HRESULT copyOut(const OptionalText& value, BSTR* out) {
    *out = value.toBstr();
    return (!value.isNull && *out == nullptr) ? E_OUTOFMEMORY : S_OK;
}

class Container final : public IWMPContentContainer, private HostObject {
public:
    explicit Container(ContainerData data) : data_(std::move(data)) {
        aggregateFreeThreadedMarshaler(static_cast<IWMPContentContainer*>(this));
    }

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
        if (ppv == nullptr) return E_POINTER;
        if (riid == IID_IUnknown || riid == IID_IWMPContentContainer) {
            *ppv = static_cast<IWMPContentContainer*>(this);
            AddRef();
            return S_OK;
        }
        return queryMarshaler(riid, ppv);
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return addRef(); }
    ULONG STDMETHODCALLTYPE Release() override { return release(); }

    HRESULT STDMETHODCALLTYPE GetID(ULONG* pContentID) override {
        if (pContentID == nullptr) return E_POINTER;
        *pContentID = data_.id;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE GetPrice(BSTR* pbstrPrice) override {
        if (pbstrPrice == nullptr) return E_POINTER;
        return copyOut(data_.price, pbstrPrice);
    }
    HRESULT STDMETHODCALLTYPE GetType(BSTR* pbstrType) override {
        if (pbstrType == nullptr) return E_POINTER;
        *pbstrType = SysAllocStringLen(data_.type.data(), static_cast<UINT>(data_.type.size()));
        return *pbstrType ? S_OK : E_OUTOFMEMORY;
    }
    HRESULT STDMETHODCALLTYPE GetContentCount(ULONG* pcContent) override {
        if (pcContent == nullptr) return E_POINTER;
        *pcContent = static_cast<ULONG>(data_.items.size());
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE GetContentPrice(ULONG idxContent, BSTR* pbstrPrice) override {
        if (pbstrPrice == nullptr) return E_POINTER;
        *pbstrPrice = nullptr;
        if (idxContent >= data_.items.size()) return E_INVALIDARG;
        return copyOut(data_.items[idxContent].price, pbstrPrice);
    }
    HRESULT STDMETHODCALLTYPE GetContentID(ULONG idxContent, ULONG* pContentID) override {
        if (pContentID == nullptr) return E_POINTER;
        *pContentID = 0;
        if (idxContent >= data_.items.size()) return E_INVALIDARG;
        *pContentID = data_.items[idxContent].id;
        return S_OK;
    }

private:
    const ContainerData data_;
};

class ContainerList final : public IWMPContentContainerList, private HostObject {
public:
    ContainerList(WMPTransactionType type, std::vector<Container*> containers)
        : type_(type), containers_(std::move(containers)) {
        aggregateFreeThreadedMarshaler(static_cast<IWMPContentContainerList*>(this));
    }
    ~ContainerList() override {
        for (Container* c : containers_) c->Release();
    }

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
        if (ppv == nullptr) return E_POINTER;
        if (riid == IID_IUnknown || riid == IID_IWMPContentContainerList) {
            *ppv = static_cast<IWMPContentContainerList*>(this);
            AddRef();
            return S_OK;
        }
        return queryMarshaler(riid, ppv);
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return addRef(); }
    ULONG STDMETHODCALLTYPE Release() override { return release(); }

    HRESULT STDMETHODCALLTYPE GetTransactionType(WMPTransactionType* pwmptt) override {
        if (pwmptt == nullptr) return E_POINTER;
        *pwmptt = type_;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE GetContainerCount(ULONG* pcContainer) override {
        if (pcContainer == nullptr) return E_POINTER;
        *pcContainer = static_cast<ULONG>(containers_.size());
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE GetContainer(ULONG idxContainer, IWMPContentContainer** ppContent) override {
        if (ppContent == nullptr) return E_POINTER;
        *ppContent = nullptr;
        if (idxContainer >= containers_.size()) return E_INVALIDARG;
        *ppContent = containers_[idxContainer];
        (*ppContent)->AddRef();
        return S_OK;
    }

private:
    const WMPTransactionType type_;
    const std::vector<Container*> containers_;  // one reference each
};

}  // namespace

bool buildContainerList(const json::Value& list, IWMPContentContainerList** out, std::string* error) {
    *out = nullptr;
    ULONG type = 0;
    if (!readDword(list, L"transactionType", &type)) {
        *error = "list.transactionType must be an integer";
        return false;
    }
    const json::Value* containers = list.find(L"containers");
    if (containers == nullptr || containers->kind != json::Kind::Array) {
        *error = "list.containers must be an array";
        return false;
    }
    std::vector<ContainerData> parsed;
    for (const json::Value& c : containers->items) {
        ContainerData data;
        const json::Value* typeValue = c.find(L"type");
        const json::Value* items = c.find(L"items");
        if (!readDword(c, L"id", &data.id) || typeValue == nullptr || !typeValue->isString() ||
            !readOptionalText(c, L"price", &data.price) || items == nullptr || items->kind != json::Kind::Array) {
            *error = "a container needs id (DWORD), type (string), price (string or null) and items (array)";
            return false;
        }
        data.type = typeValue->text;
        for (const json::Value& i : items->items) {
            ItemData item;
            if (!readDword(i, L"id", &item.id) || !readOptionalText(i, L"price", &item.price)) {
                *error = "an item needs id (DWORD) and price (string or null)";
                return false;
            }
            data.items.push_back(std::move(item));
        }
        parsed.push_back(std::move(data));
    }
    std::vector<Container*> objects;
    for (ContainerData& data : parsed) objects.push_back(new Container(std::move(data)));
    *out = new ContainerList(static_cast<WMPTransactionType>(type), std::move(objects));
    return true;
}
