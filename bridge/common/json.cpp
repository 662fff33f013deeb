// json.cpp — see json.h. A recursive-descent parser (depth-limited) and an escaping writer.
#include "json.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace json {

namespace {

const int kMaxDepth = 200;  // deeper input is refused rather than risking the stack

void appendUnit(std::wstring& out, uint32_t codePoint) {
    if (codePoint >= 0x10000) {
        codePoint -= 0x10000;
        out.push_back(static_cast<wchar_t>(0xD800 + (codePoint >> 10)));
        out.push_back(static_cast<wchar_t>(0xDC00 + (codePoint & 0x3FF)));
    } else {
        out.push_back(static_cast<wchar_t>(codePoint));
    }
}

// Decodes one UTF-8 sequence at p (p < end). Returns the code point (U+FFFD when invalid) and
// advances p. Three-byte encodings of D800–DFFF (WTF-8) are accepted as the code unit itself.
uint32_t decodeUtf8(const unsigned char*& p, const unsigned char* end) {
    unsigned char b0 = *p++;
    if (b0 < 0x80) return b0;
    int extra;
    uint32_t cp;
    uint32_t min;
    if ((b0 & 0xE0) == 0xC0) { extra = 1; cp = b0 & 0x1F; min = 0x80; }
    else if ((b0 & 0xF0) == 0xE0) { extra = 2; cp = b0 & 0x0F; min = 0x800; }
    else if ((b0 & 0xF8) == 0xF0) { extra = 3; cp = b0 & 0x07; min = 0x10000; }
    else return 0xFFFD;
    for (int i = 0; i < extra; ++i) {
        if (p >= end || (*p & 0xC0) != 0x80) return 0xFFFD;
        cp = (cp << 6) | (*p++ & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF) return 0xFFFD;
    return cp;
}

class Parser {
public:
    Parser(const char* data, size_t size)
        : p_(reinterpret_cast<const unsigned char*>(data)), end_(p_ + size) {}

    bool document(Value& out) {
        skipSpace();
        if (!value(out, 0)) return false;
        skipSpace();
        if (p_ != end_) return fail("trailing characters after the JSON value");
        return true;
    }
    const std::string& error() const { return error_; }

private:
    bool fail(const char* message) {
        if (error_.empty()) error_ = message;
        return false;
    }
    void skipSpace() {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    }
    bool literal(const char* word) {
        size_t n = std::strlen(word);
        if (static_cast<size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return fail("invalid literal");
        p_ += n;
        return true;
    }

    bool value(Value& out, int depth) {
        if (depth > kMaxDepth) return fail("JSON nested too deeply");
        if (p_ >= end_) return fail("unexpected end of input");
        switch (*p_) {
            case '{': return object(out, depth);
            case '[': return array(out, depth);
            case '"': out.kind = Kind::String; return string(out.text);
            case 't': out.kind = Kind::Bool; out.boolean = true; return literal("true");
            case 'f': out.kind = Kind::Bool; out.boolean = false; return literal("false");
            case 'n': out.kind = Kind::Null; return literal("null");
            default: return number(out);
        }
    }

    bool object(Value& out, int depth) {
        out.kind = Kind::Object;
        ++p_;  // {
        skipSpace();
        if (p_ < end_ && *p_ == '}') { ++p_; return true; }
        for (;;) {
            skipSpace();
            if (p_ >= end_ || *p_ != '"') return fail("expected a member name");
            std::wstring key;
            if (!string(key)) return false;
            skipSpace();
            if (p_ >= end_ || *p_ != ':') return fail("expected ':'");
            ++p_;
            skipSpace();
            out.members.emplace_back(std::move(key), Value());
            if (!value(out.members.back().second, depth + 1)) return false;
            skipSpace();
            if (p_ < end_ && *p_ == ',') { ++p_; continue; }
            if (p_ < end_ && *p_ == '}') { ++p_; return true; }
            return fail("expected ',' or '}'");
        }
    }

    bool array(Value& out, int depth) {
        out.kind = Kind::Array;
        ++p_;  // [
        skipSpace();
        if (p_ < end_ && *p_ == ']') { ++p_; return true; }
        for (;;) {
            skipSpace();
            out.items.emplace_back();
            if (!value(out.items.back(), depth + 1)) return false;
            skipSpace();
            if (p_ < end_ && *p_ == ',') { ++p_; continue; }
            if (p_ < end_ && *p_ == ']') { ++p_; return true; }
            return fail("expected ',' or ']'");
        }
    }

    static int hexDigit(unsigned char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    // Each \uXXXX becomes exactly one code unit: a lone surrogate stays a lone surrogate, and a
    // pair written as two escapes becomes the same two units. Raw UTF-8 is decoded.
    bool string(std::wstring& out) {
        ++p_;  // opening quote
        for (;;) {
            if (p_ >= end_) return fail("unterminated string");
            unsigned char c = *p_;
            if (c == '"') { ++p_; return true; }
            if (c < 0x20) return fail("control character in string");
            if (c != '\\') {
                if (c < 0x80) { out.push_back(static_cast<wchar_t>(c)); ++p_; }
                else appendUnit(out, decodeUtf8(p_, end_));
                continue;
            }
            ++p_;
            if (p_ >= end_) return fail("unterminated escape");
            unsigned char e = *p_++;
            switch (e) {
                case '"': out.push_back(L'"'); break;
                case '\\': out.push_back(L'\\'); break;
                case '/': out.push_back(L'/'); break;
                case 'b': out.push_back(L'\b'); break;
                case 'f': out.push_back(L'\f'); break;
                case 'n': out.push_back(L'\n'); break;
                case 'r': out.push_back(L'\r'); break;
                case 't': out.push_back(L'\t'); break;
                case 'u': {
                    if (end_ - p_ < 4) return fail("short \\u escape");
                    unsigned unit = 0;
                    for (int i = 0; i < 4; ++i) {
                        int d = hexDigit(p_[i]);
                        if (d < 0) return fail("bad \\u escape");
                        unit = (unit << 4) | static_cast<unsigned>(d);
                    }
                    p_ += 4;
                    out.push_back(static_cast<wchar_t>(unit));
                    break;
                }
                default: return fail("bad escape");
            }
        }
    }

    bool number(Value& out) {
        const unsigned char* start = p_;
        bool plain = true;  // no fraction, no exponent
        if (p_ < end_ && *p_ == '-') ++p_;
        if (p_ >= end_ || *p_ < '0' || *p_ > '9') return fail("unexpected character");
        if (*p_ == '0') ++p_;
        else while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
        if (p_ < end_ && *p_ == '.') {
            plain = false;
            ++p_;
            if (p_ >= end_ || *p_ < '0' || *p_ > '9') return fail("bad number");
            while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
        }
        if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
            plain = false;
            ++p_;
            if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
            if (p_ >= end_ || *p_ < '0' || *p_ > '9') return fail("bad number");
            while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
        }
        std::string text(reinterpret_cast<const char*>(start), static_cast<size_t>(p_ - start));
        out.kind = Kind::Number;
        out.number = std::strtod(text.c_str(), nullptr);
        if (plain) {
            // Exact 64-bit parse, so DWORDs, HRESULTs and instance numbers never go through a double.
            errno = 0;
            long long v = std::strtoll(text.c_str(), nullptr, 10);
            if (errno == 0) { out.integral = true; out.integer = v; }
        } else if (std::isfinite(out.number) && std::floor(out.number) == out.number &&
                   std::fabs(out.number) < 9007199254740992.0) {
            out.integral = true;
            out.integer = static_cast<int64_t>(out.number);
        }
        return true;
    }

    const unsigned char* p_;
    const unsigned char* end_;
    std::string error_;
};

const char kHex[] = "0123456789abcdef";

}  // namespace

const Value* Value::find(const wchar_t* key) const {
    if (kind != Kind::Object) return nullptr;
    for (const auto& member : members)
        if (member.first == key) return &member.second;
    return nullptr;
}

bool parse(const char* data, size_t size, Value& out, std::string* error) {
    Parser parser(data, size);
    out = Value();
    if (parser.document(out)) return true;
    if (error) *error = parser.error();
    return false;
}

std::wstring utf8ToUtf16(const char* data, size_t size) {
    std::wstring out;
    const unsigned char* p = reinterpret_cast<const unsigned char*>(data);
    const unsigned char* end = p + size;
    while (p < end) appendUnit(out, decodeUtf8(p, end));
    return out;
}

void appendString(std::string& out, const wchar_t* units, size_t count) {
    out.push_back('"');
    for (size_t i = 0; i < count; ++i) {
        unsigned unit = static_cast<unsigned short>(units[i]);
        if (unit == '"' || unit == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(unit));
        } else if (unit >= 0x20 && unit < 0x7F) {
            out.push_back(static_cast<char>(unit));
        } else {
            // Everything else as an escape: the line stays ASCII, and lone surrogates and U+0000
            // (which UTF-8 cannot or should not carry raw) arrive as the very same code units.
            char esc[6] = {'\\', 'u', kHex[(unit >> 12) & 15], kHex[(unit >> 8) & 15],
                           kHex[(unit >> 4) & 15], kHex[unit & 15]};
            out.append(esc, 6);
        }
    }
    out.push_back('"');
}

void appendBstr(std::string& out, BSTR value) {
    if (value == nullptr) out += "null";
    else appendString(out, value, SysStringLen(value));
}

void appendUtf8(std::string& out, const char* utf8) {
    appendString(out, utf8ToUtf16(utf8, std::strlen(utf8)));
}

BSTR toBstr(const Value* value) {
    if (value == nullptr || !value->isString()) return nullptr;
    // SysAllocStringLen, not SysAllocString: the length is explicit, so U+0000 does not cut it.
    return SysAllocStringLen(value->text.data(), static_cast<UINT>(value->text.size()));
}

void ObjectBuilder::key(const char* name) {
    if (body_.size() > 1) body_.push_back(',');
    appendUtf8(body_, name);
    body_.push_back(':');
}

ObjectBuilder& ObjectBuilder::integer(const char* name, int64_t value) {
    key(name);
    body_ += std::to_string(value);
    return *this;
}

ObjectBuilder& ObjectBuilder::boolean(const char* name, bool value) {
    key(name);
    body_ += value ? "true" : "false";
    return *this;
}

ObjectBuilder& ObjectBuilder::bstr(const char* name, BSTR value) {
    key(name);
    appendBstr(body_, value);
    return *this;
}

ObjectBuilder& ObjectBuilder::string(const char* name, const std::wstring& value) {
    key(name);
    appendString(body_, value);
    return *this;
}

ObjectBuilder& ObjectBuilder::utf8(const char* name, const char* value) {
    key(name);
    appendUtf8(body_, value);
    return *this;
}

ObjectBuilder& ObjectBuilder::null(const char* name) {
    key(name);
    body_ += "null";
    return *this;
}

ObjectBuilder& ObjectBuilder::raw(const char* name, const std::string& json) {
    key(name);
    body_ += json;
    return *this;
}

}  // namespace json
