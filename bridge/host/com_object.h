// com_object.h — what every COM object the host hands to a plug-in has in common:
//  * a thread-safe reference count (plug-in worker threads AddRef/Release freely);
//  * the free-threaded marshaler, aggregated. The host registers no proxy/stub for the WMP
//    interfaces, so without it CoMarshalInterThreadInterfaceInStream (the SDK sample marshals the
//    callback and the container list to its worker thread) would fail. With it, marshaling within
//    the process hands over the object's own pointer, which is safe because these objects are
//    thread-safe;
//  * a process-wide count of live objects, so that shutdown can wait until the plug-ins have let
//    go of them.
#ifndef WMPCERT_HOST_COM_OBJECT_H
#define WMPCERT_HOST_COM_OBJECT_H

#include <windows.h>
#include <objbase.h>

// Host objects (callbacks, container lists, containers) still alive.
LONG liveHostObjects();

class HostObject {
public:
    HostObject(const HostObject&) = delete;
    HostObject& operator=(const HostObject&) = delete;

protected:
    HostObject();
    virtual ~HostObject();

    // Aggregates the free-threaded marshaler; outer is the derived object's IUnknown.
    void aggregateFreeThreadedMarshaler(IUnknown* outer);
    ULONG addRef();
    ULONG release();  // deletes the object at zero
    // IMarshal (and anything else the FTM answers) is delegated to the aggregated marshaler.
    HRESULT queryMarshaler(REFIID riid, void** ppv);

private:
    LONG refs_ = 1;
    IUnknown* marshaler_ = nullptr;
};

#endif  // WMPCERT_HOST_COM_OBJECT_H
