// container_list.h — the Player's IWMPContentContainerList / IWMPContentContainer, built by value
// from a wire "list" ({"transactionType", "containers": [{"id","type","price","items":[{"id","price"}]}]}),
// as COM would marshal a copy. Immutable once built, so any thread may read them (free-threaded
// marshaler aggregated). Indices are zero-based; an index out of range is E_INVALIDARG with the
// out-parameter cleared. Prices and types come back code-unit exact; a null price is a NULL BSTR.
#ifndef WMPCERT_HOST_CONTAINER_LIST_H
#define WMPCERT_HOST_CONTAINER_LIST_H

#include <string>

#include "../common/json.h"
#include "../include/contentpartner.h"

// Builds the list. On malformed input returns false and says why (the request then gets a
// JSON-RPC invalid-params error; the schema should have caught it first).
bool buildContainerList(const json::Value& list, IWMPContentContainerList** out, std::string* error);

#endif  // WMPCERT_HOST_CONTAINER_LIST_H
