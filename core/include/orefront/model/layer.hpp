#pragma once
// A data layer: features with attributes, already in WGS84. Immutable once published:
// workers hand views a std::shared_ptr<const Layer>.
#include "orefront/model/geometry.hpp"

#include <cstdint>
#include <optional>
#include <string>
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

struct Feature {
    std::int64_t fid = 0;
    Geometry geometry;
    std::vector<Value> attributes; // parallel to Layer::fields
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
