#pragma once
// Shared helpers of the `orefront analyze` end-to-end tests: run the real binary in a
// fresh temporary directory, capture its stdout/stderr, and read the report back through
// GDAL. Header-only; every tests/cli/*.cpp includes it.
#include <catch2/catch.hpp>

#include <cpl_json.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace orefront::clitest {

namespace fs = std::filesystem;

struct Result {
    int code = -1;   // exit status of the binary
    std::string out; // its stdout
    std::string err; // its stderr
};

inline std::string readText(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void writeText(const fs::path &p, const std::string &text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

// Single-quoted for /bin/sh.
inline std::string shellQuote(const std::string &s) {
    std::string out = "'";
    for (char c : s)
        if (c == '\'')
            out.append("'\\''");
        else
            out.append(1, c);
    return out + "'";
}

// A file of the shared reference data (../shared/refdata beside the checkout).
inline std::string refdata(const std::string &rel) {
    return std::string(OREFRONT_REFDATA_DIR) + "/" + rel;
}

// False, with a WARN in the test output, when a reference file is missing: the test skips.
inline bool haveRefdata(const std::vector<std::string> &files) {
    for (const auto &f : files)
        if (!fs::exists(refdata(f))) {
            WARN("skipped: reference data " << refdata(f) << " is absent (../shared/refdata)");
            return false;
        }
    return true;
}

// A committed fixture under tests/data/cli/.
inline std::string fixture(const std::string &name) {
    return std::string(OREFRONT_TEST_DATA_DIR) + "/cli/" + name;
}

inline std::string geodata(const std::string &name) {
    return std::string(OREFRONT_GEODATA_DIR) + "/" + name;
}

// The bundled scenario's layers, its dated series and scenario.toml, copied into `dir` (without
// the 1.7 MB boundaries, which the scenario does not name).
inline void copyBundledScenario(const fs::path &dir) {
    fs::create_directories(dir);
    for (const auto &e : fs::directory_iterator(OREFRONT_GEODATA_DIR))
        if (e.path().extension() == ".geojson" && e.path().filename() != "ne_50m_admin0_dejure.geojson")
            fs::copy_file(e.path(), dir / e.path().filename());
    fs::copy(fs::path(OREFRONT_GEODATA_DIR) / "series", dir / "series", fs::copy_options::recursive);
    fs::copy_file(fs::path(OREFRONT_GEODATA_DIR) / "scenario.toml", dir / "scenario.toml");
}

inline void initGdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetConfigOption("OSR_DEFAULT_AXIS_MAPPING_STRATEGY", "TRADITIONAL_GIS_ORDER");
    });
}

inline GDALDatasetUniquePtr openVector(const fs::path &p, const char *const *openOptions = nullptr) {
    initGdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(p.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                              openOptions, nullptr));
    INFO("opening " << p.string());
    REQUIRE(ds);
    return ds;
}

// Pixels of the image at `p` (PNG, JPEG, ... read through GDAL) within `tolerance` of (r, g, b)
// in each channel.
inline std::size_t countColour(const fs::path &p, int r, int g, int b, int tolerance = 12) {
    initGdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(p.string().c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    INFO("opening " << p.string());
    REQUIRE(ds);
    REQUIRE(ds->GetRasterCount() >= 3);
    const int w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
    std::vector<std::uint8_t> px(std::size_t(w) * std::size_t(h) * 3);
    int bands[3] = {1, 2, 3};
    REQUIRE(ds->RasterIO(GF_Read, 0, 0, w, h, px.data(), w, h, GDT_Byte, 3, bands, 3, std::size_t(w) * 3, 1,
                         nullptr) == CE_None);
    std::size_t n = 0;
    for (std::size_t i = 0; i < px.size(); i += 3)
        n += std::abs(px[i] - r) <= tolerance && std::abs(px[i + 1] - g) <= tolerance &&
             std::abs(px[i + 2] - b) <= tolerance;
    return n;
}

inline std::vector<OGRFeatureUniquePtr> allFeatures(OGRLayer &layer) {
    std::vector<OGRFeatureUniquePtr> out;
    layer.ResetReading();
    while (OGRFeature *f = layer.GetNextFeature())
        out.emplace_back(f);
    return out;
}

inline std::string str(const OGRFeature &f, const char *field) {
    const int i = f.GetFieldIndex(field);
    return i >= 0 && f.IsFieldSetAndNotNull(i) ? std::string(f.GetFieldAsString(i)) : std::string();
}

inline bool isNull(const OGRFeature &f, const char *field) {
    const int i = f.GetFieldIndex(field);
    return i < 0 || !f.IsFieldSetAndNotNull(i);
}

inline double real(const OGRFeature &f, const char *field) {
    const int i = f.GetFieldIndex(field);
    INFO("field " << field);
    REQUIRE(i >= 0);
    REQUIRE(f.IsFieldSetAndNotNull(i));
    return f.GetFieldAsDouble(i);
}

// A string-list field: OFTStringList (GeoJSON); in a GeoPackage, a text column holding
// either a JSON array (subtype OFSTJSON) or OGR's "(N:a,b,c)" serialisation, which is what
// GDAL 3.6 writes there for an OFTStringList field.
inline std::vector<std::string> stringList(const OGRFeature &f, const char *field) {
    std::vector<std::string> out;
    const int i = f.GetFieldIndex(field);
    if (i < 0 || !f.IsFieldSetAndNotNull(i))
        return out;
    if (f.GetFieldDefnRef(i)->GetType() == OFTString) {
        const std::string text = f.GetFieldAsString(i);
        INFO("field " << field << " = " << text);
        const auto colon = text.find(':');
        if (text.size() > 2 && text.front() == '(' && text.back() == ')' && colon != std::string::npos) {
            std::istringstream items(text.substr(colon + 1, text.size() - colon - 2));
            for (std::string item; std::getline(items, item, ',');)
                out.push_back(item);
            CHECK(std::to_string(out.size()) == text.substr(1, colon - 1));
            return out;
        }
        CPLJSONDocument doc;
        REQUIRE(doc.LoadMemory(text));
        const CPLJSONArray a = doc.GetRoot().ToArray();
        REQUIRE(a.IsValid());
        for (int k = 0; k < a.Size(); ++k)
            out.push_back(a[k].ToString());
        return out;
    }
    if (char **list = f.GetFieldAsStringList(i))
        for (; *list; ++list)
            out.emplace_back(*list);
    return out;
}

inline bool contains(const std::vector<std::string> &v, const std::string &s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

inline bool anyStartsWith(const std::vector<std::string> &v, const std::string &prefix) {
    return std::any_of(v.begin(), v.end(), [&](const std::string &s) { return s.rfind(prefix, 0) == 0; });
}

inline std::string join(const std::vector<std::string> &v) {
    std::string out;
    for (const auto &s : v)
        out += (out.empty() ? "" : ",") + s;
    return out;
}

// The feature whose `name` contains `part` (exactly one must).
inline const OGRFeature *byName(const std::vector<OGRFeatureUniquePtr> &features, const std::string &part) {
    const OGRFeature *found = nullptr;
    int n = 0;
    for (const auto &f : features)
        if (str(*f, "name").find(part) != std::string::npos)
            found = f.get(), ++n;
    INFO("features named like '" << part << "'");
    REQUIRE(n == 1);
    return found;
}

// Features of a report layer keyed by their name (deposits only: range rings have none).
inline std::map<std::string, const OGRFeature *> byNames(const std::vector<OGRFeatureUniquePtr> &features) {
    std::map<std::string, const OGRFeature *> out;
    for (const auto &f : features)
        if (!str(*f, "name").empty())
            out[str(*f, "name")] = f.get();
    return out;
}

// ogr2ogr through GDAL's library API (no gdal-bin needed): translate `src` into `dst` with
// ogr2ogr's options, e.g. {"-t_srs", "EPSG:3857", "-nln", "deposits"}.
inline void ogr2ogr(const std::string &src, const std::string &dst, const std::vector<std::string> &options) {
    initGdal();
    CPLStringList argv;
    for (const auto &o : options)
        argv.AddString(o.c_str());
    GDALDatasetH in = GDALOpenEx(src.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    INFO("ogr2ogr " << src << " -> " << dst);
    REQUIRE(in != nullptr);
    GDALVectorTranslateOptions *opts = GDALVectorTranslateOptionsNew(argv.List(), nullptr);
    REQUIRE(opts != nullptr);
    int usageError = 0;
    GDALDatasetH out = GDALVectorTranslate(dst.c_str(), nullptr, 1, &in, opts, &usageError);
    GDALVectorTranslateOptionsFree(opts);
    GDALClose(in);
    REQUIRE(out != nullptr);
    REQUIRE(usageError == 0);
    GDALClose(out);
}

// "word 1  word 2 ..." -> {word: count}; a leading token without a count is skipped.
inline std::map<std::string, int> countsOf(const std::string &text) {
    std::map<std::string, int> out;
    std::istringstream in(text);
    std::string word, prev;
    while (in >> word) {
        if (!word.empty() && std::all_of(word.begin(), word.end(), ::isdigit) && !prev.empty())
            out[prev] = std::stoi(word);
        prev = word;
    }
    return out;
}

// The summary's lines, split.
inline std::vector<std::string> lines(const std::string &text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        out.push_back(l);
    return out;
}

// The line that starts with `prefix` (after leading blanks); empty when none.
inline std::string lineStarting(const std::string &text, const std::string &prefix) {
    for (const auto &l : lines(text)) {
        const auto first = l.find_first_not_of(' ');
        if (first != std::string::npos && l.compare(first, prefix.size(), prefix) == 0)
            return l.substr(first);
    }
    return {};
}

// The deposits listed under "changed verdict against the default thresholds: N" as
// {name: "old -> new"}, and N.
struct Changed {
    int count = -1;
    std::map<std::string, std::string> deposits;
};

inline Changed changedVerdicts(const std::string &summary) {
    Changed c;
    const std::string head = "changed verdict against the default thresholds:";
    bool in = false;
    for (const auto &l : lines(summary)) {
        if (l.rfind(head, 0) == 0) {
            c.count = std::stoi(l.substr(head.size()));
            in = true;
            continue;
        }
        if (!in)
            continue;
        if (l.rfind("  ", 0) != 0)
            break;
        const auto colon = l.rfind(": ");
        if (colon != std::string::npos)
            c.deposits[l.substr(2, colon - 2)] = l.substr(colon + 2);
    }
    return c;
}

// Every number inside the "coordinates" arrays of a GeoJSON text, as written.
inline std::vector<std::string> coordinateTokens(const std::string &json) {
    std::vector<std::string> out;
    const std::string key = "\"coordinates\"";
    for (std::size_t at = json.find(key); at != std::string::npos; at = json.find(key, at + 1)) {
        std::size_t i = json.find('[', at);
        int depth = 0;
        std::string token;
        for (; i < json.size(); ++i) {
            const char c = json[i];
            if (c == '[')
                ++depth;
            else if (c == ']')
                --depth;
            if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == 'e' || c == 'E' ||
                c == '+') {
                token += c;
            } else if (!token.empty()) {
                out.push_back(token);
                token.clear();
            }
            if (depth == 0)
                break;
        }
    }
    return out;
}

// One fresh directory per test: inputs made at test time go to in/, reports to out/, the
// captured streams to logs/ (so that out/ holds nothing but what the binary wrote).
class CliFixture {
public:
    CliFixture() {
        std::string pattern = (fs::temp_directory_path() / "orefront_cli_XXXXXX").string();
        std::vector<char> buf(pattern.begin(), pattern.end());
        buf.push_back('\0');
        REQUIRE(mkdtemp(buf.data()) != nullptr);
        m_root = buf.data();
        fs::create_directories(m_root / "in");
        fs::create_directories(m_root / "out");
        fs::create_directories(m_root / "logs");
    }
    ~CliFixture() {
        std::error_code ec;
        fs::remove_all(m_root, ec);
    }
    CliFixture(const CliFixture &) = delete;
    CliFixture &operator=(const CliFixture &) = delete;

    fs::path in(const std::string &name) const { return m_root / "in" / name; }
    fs::path out(const std::string &name) const { return m_root / "out" / name; }
    fs::path outDir() const { return m_root / "out"; }

    // Runs `orefront analyze ARGS...` and captures its streams.
    // With `cwd`, it runs there (relative paths on the command line resolve against it).
    Result analyze(const std::vector<std::string> &args, const fs::path &cwd = {}) {
        return run("analyze", args, cwd);
    }

    // Runs `orefront SUBCOMMAND ARGS...` (any subcommand), as analyze() does.
    Result run(const std::string &subcommand, const std::vector<std::string> &args,
               const fs::path &cwd = {}) {
        const std::string n = std::to_string(++m_runs);
        const fs::path so = m_root / "logs" / ("stdout" + n), se = m_root / "logs" / ("stderr" + n);
        std::string cmd;
        if (!cwd.empty())
            cmd.append("cd ").append(shellQuote(cwd.string())).append(" && ");
        cmd.append(shellQuote(OREFRONT_BINARY));
        if (!subcommand.empty())
            cmd.append(" ").append(subcommand);
        for (const auto &a : args)
            cmd.append(1, ' ').append(shellQuote(a)); // append: GCC 12 -Wrestrict misfires on " " + s
        cmd.append(" >").append(shellQuote(so.string())).append(" 2>").append(shellQuote(se.string()));
        cmd.append(" </dev/null");
        const int status = std::system(cmd.c_str());
        Result r;
        r.code = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        r.out = readText(so);
        r.err = readText(se);
        UNSCOPED_INFO("$ " << cmd << "\nexit " << r.code << "\n--- stdout\n"
                           << r.out << "--- stderr\n"
                           << r.err);
        return r;
    }

    // What the binary left in out/ (reports, temporary files).
    std::vector<std::string> outEntries() const {
        std::vector<std::string> names;
        for (const auto &e : fs::directory_iterator(m_root / "out"))
            names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

private:
    fs::path m_root;
    int m_runs = 0;
};

// The small fixture: a 1°x1° hostile square (36-37 E, 47-48 N), a front line on the 42 E
// meridian (47-48 N), and six deposits on the 47.5 N parallel (see deposits_small.geojson).
inline std::vector<std::string> smallLayers() {
    return {
        "--deposits", fixture("deposits_small.geojson"), "--hostile",    fixture("hostile_square.geojson"),
        "--front",    fixture("front_meridian.geojson"), "--boundaries", fixture("boundaries_small.geojson")};
}

inline std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string> &b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

} // namespace orefront::clitest
