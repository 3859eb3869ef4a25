#pragma once
// A data layer: features with attributes, already in WGS84. Immutable once published:
// workers hand views a std::shared_ptr<const Layer>.
#include "orefront/model/geometry.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace orefront::model {

enum class FieldType { Integer, Real, String, Boolean, StringList };

struct Field {
    std::string name;
    FieldType type = FieldType::String;
};

// monostate = null.
using Value = std::variant<std::monostate, std::int64_t, double, std::string, bool, std::vector<std::string>>;

std::string toString(const Value &v);           // "" for null; lists joined with ", "
std::optional<double> toNumber(const Value &v); // numbers and numeric strings; nullopt otherwise

// One feature's attribute values, packed into one heap block: a tag byte and the value's bytes
// per field (a string as a length and its UTF-8 bytes). A std::vector<Value> costs 40 bytes per
// field plus the vector, 230 bytes for five fields; packed they take about 60. A million
// deposits are read into rows like this (README, Memory). Values are decoded on access:
// operator[] returns a Value, not a reference; set() replaces one. Copyable and movable like a
// value; not thread-safe for writes, any number of readers.
class AttributeRow {
public:
    // Appends values one by one and packs them into a row (the layer reader reuses one).
    class Builder {
    public:
        void clear();
        void addNull();
        void addInteger(std::int64_t v);
        void addReal(double v);
        void addBool(bool v);
        void addString(std::string_view v);
        void addStringList(const std::vector<std::string> &v);
        void add(const Value &v);
        AttributeRow finish() const;

    private:
        void tag(std::uint8_t t);
        void length(std::size_t n);
        std::vector<std::byte> m_bytes;
        std::uint32_t m_count = 0;
    };

    AttributeRow() = default;
    AttributeRow(std::initializer_list<Value> values);
    AttributeRow(const std::vector<Value> &values); // NOLINT: implicit, as the vector it replaces
    AttributeRow(const AttributeRow &o);
    AttributeRow(AttributeRow &&o) noexcept : m_data(o.m_data) { o.m_data = nullptr; }
    AttributeRow &operator=(const AttributeRow &o);
    AttributeRow &operator=(AttributeRow &&o) noexcept;
    ~AttributeRow();

    std::size_t size() const;
    bool empty() const { return size() == 0; }
    Value operator[](std::size_t i) const; // the value of field i; i < size()
    Value at(std::size_t i) const;         // throws std::out_of_range
    bool isNull(std::size_t i) const;
    // Field i as a view into the row when it holds a string (valid while the row lives and is
    // not changed); nullopt for any other type.
    std::optional<std::string_view> stringAt(std::size_t i) const;
    std::vector<Value> values() const;
    // A field's value as packed, without a copy (a string is a view into the row, valid while
    // the row lives and is not changed); a string list is only its kind (decode it with [i]).
    struct View {
        enum class Kind : std::uint8_t { Null, Integer, Real, String, Bool, StringList };
        Kind kind = Kind::Null;
        std::int64_t integer = 0;
        double real = 0;
        bool boolean = false;
        std::string_view text;
    };
    // Every field's View, in one pass over the row (operator[] walks from the first field each
    // time): `out` holds size() entries. For a writer of a million rows (issue 11).
    void views(View *out) const;
    void set(std::size_t i, const Value &v); // repacks the row
    void push_back(const Value &v);          // repacks the row
    void resize(std::size_t n);              // new fields are null
    void reserve(std::size_t) {}
    std::size_t heapBytes() const; // the packed block's size, for memory accounting

    friend bool operator==(const AttributeRow &a, const AttributeRow &b) { return a.values() == b.values(); }

private:
    explicit AttributeRow(std::byte *data) : m_data(data) {}
    const std::byte *field(std::size_t i) const;
    std::byte *m_data = nullptr; // [uint32 bytes][uint32 count][tag, value]...; nullptr: no fields
};

struct Feature {
    std::int64_t fid = 0;
    Geometry geometry;
    AttributeRow attributes; // parallel to Layer::fields
};

// What a layer stands for in the analysis.
// Boundaries: world country polygons, the deposits' jurisdiction by location.
enum class LayerRole { Deposits, Hostile, Front, Ports, Rail, Power, Basemap, Boundaries, Other };
const char *roleName(LayerRole r);
std::optional<LayerRole> roleFromName(const std::string &s);

struct Layer {
    std::string id;        // unique within a project, e.g. "deposits"
    std::string name;      // for display
    std::string source;    // the GDAL source it was read from, as the user wrote it
    std::string sourceCrs; // the CRS it was read in (e.g. "EPSG:32636"); data is WGS84 now
    // Where it came from, for messages: "file '/abs/x.gpkg', layer 'deposits' (scenario layer 'deposits')".
    std::string location;
    LayerRole role = LayerRole::Other;
    std::optional<std::string> date; // ISO date the layer describes, if known (dated front lines)
    std::vector<Field> fields;
    std::vector<Feature> features;
    BBox bounds;

    // Index of the field named `name` (case-insensitive), or -1.
    int fieldIndex(const std::string &name) const;
    // `location`, or "layer 'ID'" for a layer built in memory.
    std::string describe() const;
    // "name, country, grade" for messages about a missing field.
    std::string fieldNames() const;
    void computeBounds();
};

} // namespace orefront::model
