// json.h — a small JSON reader/writer that keeps strings as exact UTF-16 code units, so a BSTR
// survives the trip through JSON unchanged: \uXXXX escapes go straight into code units (lone
// surrogates and U+0000 included), other UTF-8 is decoded to UTF-16, and on output every code unit
// outside printable ASCII is written back as \uXXXX. Shared by the host bridge and the fixtures.
#ifndef WMPCERT_JSON_H
#define WMPCERT_JSON_H

#include <windows.h>
#include <oleauto.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace json {

enum class Kind { Null, Bool, Number, String, Array, Object };

struct Value {
    Kind kind = Kind::Null;
    bool boolean = false;
    double number = 0;         // every number
    bool integral = false;     // true when the number is an integer that fits int64 exactly
    int64_t integer = 0;       // its exact value then
    std::wstring text;         // strings: UTF-16 code units, exactly as escaped on the wire
    std::vector<Value> items;  // arrays
    std::vector<std::pair<std::wstring, Value>> members;  // objects, in order

    bool isNull() const { return kind == Kind::Null; }
    bool isString() const { return kind == Kind::String; }
    bool isInteger() const { return kind == Kind::Number && integral; }
    // The member named key, or nullptr (also when this is not an object).
    const Value* find(const wchar_t* key) const;
};

// Parses one JSON text (UTF-8; invalid UTF-8 becomes U+FFFD). False with a reason on error.
bool parse(const char* data, size_t size, Value& out, std::string* error = nullptr);

// Appends a JSON string literal holding exactly these UTF-16 code units.
void appendString(std::string& out, const wchar_t* units, size_t count);
inline void appendString(std::string& out, const std::wstring& s) { appendString(out, s.data(), s.size()); }
// Appends a BSTR: null for the NULL BSTR, else its SysStringLen code units (embedded U+0000 kept).
void appendBstr(std::string& out, BSTR value);
// Appends an ASCII/UTF-8 C string as a JSON string (decoded to UTF-16 first, then escaped).
void appendUtf8(std::string& out, const char* utf8);

// A BSTR holding a JSON string's exact code units; NULL for JSON null or a missing value.
BSTR toBstr(const Value* value);

// UTF-8 → UTF-16 code units (invalid sequences become U+FFFD; encoded surrogates are kept).
std::wstring utf8ToUtf16(const char* data, size_t size);

// Builds one JSON object, member by member: {"a":1,"b":"x"}.
class ObjectBuilder {
public:
    ObjectBuilder& integer(const char* key, int64_t value);
    ObjectBuilder& boolean(const char* key, bool value);
    ObjectBuilder& bstr(const char* key, BSTR value);
    ObjectBuilder& string(const char* key, const std::wstring& value);
    ObjectBuilder& utf8(const char* key, const char* value);
    ObjectBuilder& null(const char* key);
    ObjectBuilder& raw(const char* key, const std::string& json);  // an already-encoded value
    std::string str() const { return body_ + "}"; }

private:
    void key(const char* name);
    std::string body_ = "{";
};

}  // namespace json

#endif  // WMPCERT_JSON_H
