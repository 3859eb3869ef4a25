// libFuzzer target: the layer source string parser ("path|layername=NAME|subset=WHERE"),
// with io::resolveSource() and io::redactSource() that every message goes through.
// Checked properties: splitting never fails except with InputError (an unknown option or a
// NUL character); resolving against a base directory keeps the options; a split source
// rebuilt from its parts splits the same; a password given as "password=SECRET" never
// survives redaction.
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using orefront::io::SourceParts;

[[noreturn]] void fail(const char *what, const std::string &source) {
    std::fprintf(stderr, "%s: '%s'\n", what, source.c_str());
    std::abort();
}

bool same(const SourceParts &a, const SourceParts &b) {
    return a.path == b.path && a.layerName == b.layerName && a.subset == b.subset;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size) {
    const std::string source(reinterpret_cast<const char *>(data), size);
    const std::string redacted = orefront::io::redactSource(source);
    // A simple secret (letters and digits, found nowhere else in the source) after the keyword
    // must be hidden.
    const std::size_t key = source.find("password=");
    if (key != std::string::npos) {
        std::size_t end = key + 9;
        while (end < source.size() && std::isalnum(static_cast<unsigned char>(source[end])))
            ++end;
        const std::string secret = source.substr(key + 9, end - key - 9);
        if (secret.size() >= 4 && (end == source.size() || source[end] == ' ') &&
            source.find(secret) == key + 9 &&
            source.find(secret, key + 9 + secret.size()) == std::string::npos &&
            redacted.find(secret) != std::string::npos)
            fail("password survives redaction", source);
    }
    SourceParts parts;
    try {
        parts = orefront::io::splitSource(source);
    } catch (const orefront::InputError &e) {
        const std::string what = e.what();
        if (what.find("unknown option") == std::string::npos &&
            what.find("a NUL character") == std::string::npos)
            fail("unexpected message", e.what());
        return 0;
    }
    const SourceParts resolved = orefront::io::splitSource(orefront::io::resolveSource(source, "/base/dir"));
    if (resolved.layerName != parts.layerName || resolved.subset != parts.subset)
        fail("resolveSource changed the options", source);
    std::string rebuilt = parts.path;
    if (!parts.layerName.empty())
        rebuilt += "|layername=" + parts.layerName;
    if (!parts.subset.empty())
        rebuilt += "|subset=" + parts.subset;
    if (!same(orefront::io::splitSource(rebuilt), parts))
        fail("rebuilt source splits differently", source);
    return 0;
}
