#include "orefront/model/layer.hpp"

#include <charconv>
#include <cstring>
#include <stdexcept>
#include <strings.h>

namespace orefront::model {

std::string toString(const Value &v) {
    struct Visitor {
        std::string operator()(std::monostate) const { return {}; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const {
            char buf[32];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
            return ec == std::errc{} ? std::string(buf, end) : std::string{};
        }
        std::string operator()(const std::string &s) const { return s; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(const std::vector<std::string> &l) const {
            std::string out;
            for (const auto &s : l)
                out += (out.empty() ? "" : ", ") + s;
            return out;
        }
    };
    return std::visit(Visitor{}, v);
}

std::optional<double> toNumber(const Value &v) {
    if (const auto *i = std::get_if<std::int64_t>(&v))
        return static_cast<double>(*i);
    if (const auto *d = std::get_if<double>(&v))
        return *d;
    if (const auto *s = std::get_if<std::string>(&v)) {
        const char *b = s->data();
        const char *e = b + s->size();
        const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
        while (b < e && blank(*b))
            ++b;
        while (e > b && blank(e[-1]))
            --e;
        if (e - b > 1 && *b == '+' && b[1] != '-') // from_chars takes no '+'; "+1.5" is a number
            ++b;
        double out = 0;
        auto [ptr, ec] = std::from_chars(b, e, out);
        if (ec == std::errc{} && ptr == e && b != e)
            return out;
    }
    return std::nullopt;
}

// ------------------------------------------------------------------------------ AttributeRow

namespace {

enum Tag : std::uint8_t { kNull, kInteger, kReal, kString, kFalse, kTrue, kStringList };
constexpr std::size_t kHeader = 8; // uint32 bytes, uint32 count

std::uint32_t readU32(const std::byte *p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

// A length as a base-128 varint: one byte below 128.
std::size_t readLength(const std::byte *&p) {
    std::size_t v = 0;
    for (int shift = 0;; shift += 7) {
        const auto b = static_cast<std::uint8_t>(*p++);
        v |= std::size_t(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
}

std::string_view readString(const std::byte *&p) {
    const std::size_t n = readLength(p);
    const std::string_view s(reinterpret_cast<const char *>(p), n);
    p += n;
    return s;
}

// The value at `p`; moves `p` past it.
Value decode(const std::byte *&p) {
    const auto t = static_cast<std::uint8_t>(*p++);
    switch (t) {
    case kInteger: {
        std::int64_t v;
        std::memcpy(&v, p, 8);
        p += 8;
        return v;
    }
    case kReal: {
        double v;
        std::memcpy(&v, p, 8);
        p += 8;
        return v;
    }
    case kString:
        return std::string(readString(p));
    case kFalse:
        return false;
    case kTrue:
        return true;
    case kStringList: {
        std::vector<std::string> out(readLength(p));
        for (auto &s : out)
            s = readString(p);
        return out;
    }
    default:
        return std::monostate{};
    }
}

void skip(const std::byte *&p) {
    const auto t = static_cast<std::uint8_t>(*p++);
    if (t == kInteger || t == kReal)
        p += 8;
    else if (t == kString)
        readString(p);
    else if (t == kStringList)
        for (std::size_t n = readLength(p); n > 0; --n)
            readString(p);
}

} // namespace

void AttributeRow::Builder::clear() {
    m_bytes.clear();
    m_count = 0;
}
void AttributeRow::Builder::tag(std::uint8_t t) {
    m_bytes.push_back(static_cast<std::byte>(t));
    ++m_count;
}
void AttributeRow::Builder::length(std::size_t n) {
    do {
        const auto low = static_cast<std::uint8_t>(n & 0x7f);
        n >>= 7;
        m_bytes.push_back(static_cast<std::byte>(low | (n ? 0x80 : 0)));
    } while (n);
}
void AttributeRow::Builder::addNull() {
    tag(kNull);
}
void AttributeRow::Builder::addInteger(std::int64_t v) {
    tag(kInteger);
    const auto *b = reinterpret_cast<const std::byte *>(&v);
    m_bytes.insert(m_bytes.end(), b, b + 8);
}
void AttributeRow::Builder::addReal(double v) {
    tag(kReal);
    const auto *b = reinterpret_cast<const std::byte *>(&v);
    m_bytes.insert(m_bytes.end(), b, b + 8);
}
void AttributeRow::Builder::addBool(bool v) {
    tag(v ? kTrue : kFalse);
}
void AttributeRow::Builder::addString(std::string_view v) {
    tag(kString);
    length(v.size());
    const auto *b = reinterpret_cast<const std::byte *>(v.data());
    m_bytes.insert(m_bytes.end(), b, b + v.size());
}
void AttributeRow::Builder::addStringList(const std::vector<std::string> &v) {
    tag(kStringList);
    length(v.size());
    for (const auto &s : v) {
        length(s.size());
        const auto *b = reinterpret_cast<const std::byte *>(s.data());
        m_bytes.insert(m_bytes.end(), b, b + s.size());
    }
}
void AttributeRow::Builder::add(const Value &v) {
    struct Visitor {
        Builder &b;
        void operator()(std::monostate) const { b.addNull(); }
        void operator()(std::int64_t i) const { b.addInteger(i); }
        void operator()(double d) const { b.addReal(d); }
        void operator()(const std::string &s) const { b.addString(s); }
        void operator()(bool x) const { b.addBool(x); }
        void operator()(const std::vector<std::string> &l) const { b.addStringList(l); }
    };
    std::visit(Visitor{*this}, v);
}
AttributeRow AttributeRow::Builder::finish() const {
    if (m_count == 0)
        return {};
    const std::size_t bytes = kHeader + m_bytes.size();
    auto *data = new std::byte[bytes];
    const auto total = static_cast<std::uint32_t>(bytes);
    std::memcpy(data, &total, 4);
    std::memcpy(data + 4, &m_count, 4);
    std::memcpy(data + kHeader, m_bytes.data(), m_bytes.size());
    return AttributeRow(data);
}

AttributeRow::AttributeRow(std::initializer_list<Value> values) {
    Builder b;
    for (const auto &v : values)
        b.add(v);
    *this = b.finish();
}
AttributeRow::AttributeRow(const std::vector<Value> &values) {
    Builder b;
    for (const auto &v : values)
        b.add(v);
    *this = b.finish();
}
AttributeRow::AttributeRow(const AttributeRow &o) {
    if (o.m_data) {
        const std::uint32_t bytes = readU32(o.m_data);
        m_data = new std::byte[bytes];
        std::memcpy(m_data, o.m_data, bytes);
    }
}
AttributeRow &AttributeRow::operator=(const AttributeRow &o) {
    if (this != &o)
        *this = AttributeRow(o);
    return *this;
}
AttributeRow &AttributeRow::operator=(AttributeRow &&o) noexcept {
    if (this != &o) {
        delete[] m_data;
        m_data = o.m_data;
        o.m_data = nullptr;
    }
    return *this;
}
AttributeRow::~AttributeRow() {
    delete[] m_data;
}

std::size_t AttributeRow::size() const {
    return m_data ? readU32(m_data + 4) : 0;
}
std::size_t AttributeRow::heapBytes() const {
    return m_data ? readU32(m_data) : 0;
}

const std::byte *AttributeRow::field(std::size_t i) const {
    const std::byte *p = m_data + kHeader;
    for (; i > 0; --i)
        skip(p);
    return p;
}
Value AttributeRow::operator[](std::size_t i) const {
    const std::byte *p = field(i);
    return decode(p);
}
Value AttributeRow::at(std::size_t i) const {
    if (i >= size())
        throw std::out_of_range("AttributeRow::at: field " + std::to_string(i) + " of " +
                                std::to_string(size()));
    return (*this)[i];
}
bool AttributeRow::isNull(std::size_t i) const {
    return static_cast<std::uint8_t>(*field(i)) == kNull;
}
std::optional<std::string_view> AttributeRow::stringAt(std::size_t i) const {
    const std::byte *p = field(i);
    if (static_cast<std::uint8_t>(*p++) != kString)
        return std::nullopt;
    return readString(p);
}
std::vector<Value> AttributeRow::values() const {
    std::vector<Value> out;
    out.reserve(size());
    const std::byte *p = m_data ? m_data + kHeader : nullptr;
    for (std::size_t i = 0; i < size(); ++i)
        out.push_back(decode(p));
    return out;
}
void AttributeRow::views(View *out) const {
    const std::byte *p = m_data ? m_data + kHeader : nullptr;
    for (std::size_t i = 0, n = size(); i < n; ++i) {
        View &v = out[i];
        v = View{};
        const auto t = static_cast<std::uint8_t>(*p);
        switch (t) {
        case kInteger:
            v.kind = View::Kind::Integer;
            std::memcpy(&v.integer, p + 1, 8);
            break;
        case kReal:
            v.kind = View::Kind::Real;
            std::memcpy(&v.real, p + 1, 8);
            break;
        case kString: {
            const std::byte *q = p + 1;
            v.kind = View::Kind::String;
            v.text = readString(q);
            break;
        }
        case kFalse:
        case kTrue:
            v.kind = View::Kind::Bool;
            v.boolean = t == kTrue;
            break;
        case kStringList:
            v.kind = View::Kind::StringList;
            break;
        default:
            break; // null
        }
        skip(p);
    }
}
void AttributeRow::set(std::size_t i, const Value &v) {
    std::vector<Value> all = values();
    all.at(i) = v;
    *this = AttributeRow(all);
}
void AttributeRow::push_back(const Value &v) {
    std::vector<Value> all = values();
    all.push_back(v);
    *this = AttributeRow(all);
}
void AttributeRow::resize(std::size_t n) {
    std::vector<Value> all = values();
    all.resize(n);
    *this = AttributeRow(all);
}

// ------------------------------------------------------------------------------ roles

namespace {
constexpr std::pair<LayerRole, const char *> kRoles[] = {
    {LayerRole::Deposits, "deposits"}, {LayerRole::Hostile, "hostile"},
    {LayerRole::Front, "front"},       {LayerRole::Ports, "ports"},
    {LayerRole::Rail, "rail"},         {LayerRole::Power, "power"},
    {LayerRole::Basemap, "basemap"},   {LayerRole::Boundaries, "boundaries"},
    {LayerRole::Other, "other"},
};
} // namespace

const char *roleName(LayerRole r) {
    for (auto [role, name] : kRoles)
        if (role == r)
            return name;
    return "other";
}

std::optional<LayerRole> roleFromName(const std::string &s) {
    for (auto [role, name] : kRoles)
        if (strcasecmp(name, s.c_str()) == 0)
            return role;
    return std::nullopt;
}

int Layer::fieldIndex(const std::string &n) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (strcasecmp(fields[i].name.c_str(), n.c_str()) == 0)
            return static_cast<int>(i);
    return -1;
}

void Layer::computeBounds() {
    bounds = BBox{};
    for (const auto &f : features)
        bounds.expand(f.geometry.bounds());
}

std::string Layer::describe() const {
    return location.empty() ? "layer '" + id + "'" : location;
}

std::string Layer::fieldNames() const {
    std::string names;
    for (const auto &f : fields)
        names += (names.empty() ? "" : ", ") + f.name;
    return names.empty() ? "(none)" : names;
}

} // namespace orefront::model
