#include "orefront/io/pg_source.hpp"

#include <cctype>
#include <filesystem>
#include <vector>

namespace orefront::io {

bool isPgSource(const std::string &source) {
    return source.size() >= 3 && std::toupper(static_cast<unsigned char>(source[0])) == 'P' &&
           std::toupper(static_cast<unsigned char>(source[1])) == 'G' && source[2] == ':';
}

namespace {

// libpq keyword/value pairs, each kept as written ("host=x", "password='a b'").
std::vector<std::string> conninfoItems(const std::string &s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
            ++i;
        if (i == s.size())
            break;
        std::string item;
        bool quoted = false;
        for (; i < s.size(); ++i) {
            const char c = s[i];
            if (!quoted && std::isspace(static_cast<unsigned char>(c)))
                break;
            if (c == '\\' && quoted && i + 1 < s.size()) {
                item += c;
                item += s[++i];
                continue;
            }
            if (c == '\'')
                quoted = !quoted;
            item += c;
        }
        out.push_back(item);
    }
    return out;
}

} // namespace

std::string pgConninfo(const std::string &source) {
    std::string s = isPgSource(source) ? source.substr(3) : source;
    s = s.substr(0, s.find('|'));
    if (s.find("://") != std::string::npos)
        return s; // a postgresql:// URI: libpq reads it as it is
    std::string out;
    for (const auto &item : conninfoItems(s)) {
        const std::string key = item.substr(0, item.find('='));
        if (key == "schemas" || key == "active_schema" || key == "tables")
            continue; // GDAL's, not libpq's
        out += (out.empty() ? "" : " ") + item;
    }
    return out;
}

std::string sourceLabel(const std::string &source) {
    const std::string path = source.substr(0, source.find('|'));
    if (!isPgSource(source))
        return std::filesystem::path(path).filename().string();
    const std::size_t layer = source.find("|layername=");
    if (layer != std::string::npos)
        return "PG:" + source.substr(layer + 11, source.find('|', layer + 1) - layer - 11);
    for (const char *key : {"service", "dbname"})
        for (const auto &item : conninfoItems(path.substr(3)))
            if (item.rfind(std::string(key) + "=", 0) == 0)
                return "PG:" + item.substr(std::string(key).size() + 1);
    return "PG:";
}

bool isSqlIdentifier(const std::string &name) {
    std::size_t partLength = 0;
    int parts = 1;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const unsigned char c = name[i];
        if (c == '.') {
            if (partLength == 0 || ++parts > 2)
                return false;
            partLength = 0;
            continue;
        }
        if (!(std::isalnum(c) || c == '_') || c > 127)
            return false;
        if (partLength == 0 && std::isdigit(c))
            return false;
        if (++partLength > 63)
            return false;
    }
    return partLength > 0;
}

} // namespace orefront::io
