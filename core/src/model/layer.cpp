#include "orefront/model/layer.hpp"

#include <charconv>
#include <cstring>
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
