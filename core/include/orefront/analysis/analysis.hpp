#pragma once
// The analysis in two stages, so that each can be rerun on its own:
//  1. measure(): geometry only (occupied / contested, ellipsoidal distance to the nearest
//     hostile position, distances to infrastructure). Costly; rerun when layers change, e.g.
//     per dated front-line snapshot.
//  2. rules::evaluate() (rules/rules.hpp): thresholds and verdicts over the measurements.
//     Cheap; rerun live when a slider moves.
// Thread rules: measure() is reentrant (it makes its own GEOS/PROJ contexts) and uses up to
// `threads` worker threads; the layers must not change while it runs.
#include "orefront/model/bulk_allocator.hpp"
#include "orefront/model/layer.hpp"
#include "orefront/model/optional_double.hpp"
#include "orefront/model/progress.hpp"
#include "orefront/model/scenario.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace orefront::analysis {

// One hostile source layer as the analysis sees it: the layer and its spec (statuses).
struct HostileInput {
    const model::Layer *layer = nullptr;
    const model::LayerSpec *spec = nullptr;
};

struct Inputs {
    const model::Layer *deposits = nullptr;
    std::vector<HostileInput> hostile; // control zones and front lines
    const model::Layer *ports = nullptr;
    const model::Layer *rail = nullptr;
    const model::Layer *power = nullptr;
    // Their specs (status_field, unusable_statuses, name_field); nullptr: every feature is
    // usable and named by its `name` field, if any.
    const model::LayerSpec *portsSpec = nullptr;
    const model::LayerSpec *railSpec = nullptr;
    const model::LayerSpec *powerSpec = nullptr;
    // Infrastructure this close to a hostile position is on the line of contact and left out
    // (Thresholds::lineOfContactKm; model::Project::analysisInputs() sets it).
    double lineOfContactKm = 2.0;
};

// One deposit's measurements: a fixed-size record of 64 bytes, no heap (a million deposits
// hold a million of them; README, Memory).
struct Measurement {
    // Ellipsoidal WGS84 distance to the nearest hostile position, km; 0 inside;
    // no value when no layer has hostile positions.
    model::OptionalDouble frontDistanceKm;
    model::LonLat nearestHostile; // where that distance is measured to
    // To the nearest *usable* port, rail hub and power plant: one inside hostile-controlled
    // territory, or marked unusable by its layer's status, cannot serve a deposit.
    model::OptionalDouble portKm, railKm, powerKm;
    // Their names, as indexes into Measurements::names (0: none, or unnamed).
    std::uint32_t portName = 0, railName = 0, powerName = 0;
    bool occupied = false;  // inside (intersects) hostile-controlled territory
    bool contested = false; // inside a contested zone
};
static_assert(sizeof(Measurement) <= 64, "Measurement is kept per deposit: keep it compact");

// An infrastructure feature that measure() left out, and why.
struct ExcludedInfrastructure {
    std::string layer;  // the layer's describe()
    std::string name;   // the feature's name, or "feature <fid>"
    std::string reason; // "in hostile-controlled territory" or "status '<value>'"
};

struct Measurements {
    model::BulkVector<Measurement> perDeposit; // parallel to deposits->features
    double seconds = 0;                        // wall time of measure()
    std::vector<std::string> names = {""};     // infrastructure names; [0] is ""
    std::vector<ExcludedInfrastructure> excluded;
    // Whether a ports, rail or power layer had usable features, so that every deposit has a
    // distance to it: set with the indexes, before MeasureFeed::ready(), so a report can lay out
    // its columns before the deposits are measured (issue 11).
    bool hasPorts = false, hasRail = false, hasPower = false;

    // "" for 0 and for a reference these measurements do not hold (a copy made without names).
    const std::string &name(std::uint32_t ref) const {
        static const std::string none;
        return ref < names.size() ? names[ref] : none;
    }
};

// Measures every deposit of `in.deposits`. Throws orefront::Error on bad geometry.
// `progress` (optional): stage "measure", one count per deposit.
Measurements measure(const Inputs &in, unsigned threads = 0 /* 0 = hardware */,
                     model::Progress *progress = nullptr);

// measure() for a consumer that takes the deposits in file order while later ones are still
// being measured (analyze writes batch k as batch k + 1 is measured; README, Analyze, fourth
// round). The deposits are measured in blocks of `block` in file order, each block in spatial
// order within, so deposits [0, n) are done early; every deposit gets the value measure() gives.
// The callbacks run on measure's threads, never two at once:
//  - `ready()` once the indexes are built: `out.names`, `out.excluded` final and
//    `out.perDeposit` sized; no deposit is measured yet;
//  - `measured(n)` each time deposits [0, n) are all measured (n grows; the last call has n =
//    the deposit count). out.perDeposit[i] for i < n may be read from then on.
// `cancel` (optional), once set, makes the workers stop at their next chunk of deposits; `out`
// is then incomplete. Throws as measure() does, before ready() is called.
struct MeasureFeed {
    std::size_t block = 32768;
    std::function<void()> ready;
    std::function<void(std::size_t)> measured;
    const std::atomic<bool> *cancel = nullptr;
};
void measureInto(const Inputs &in, Measurements &out, const MeasureFeed &feed, unsigned threads = 0,
                 model::Progress *progress = nullptr);

// Distance engine over the hostile positions, reusable for single queries (the viewer's
// status bar asks it for the cursor). Build once per set of hostile layers; query() is
// const and thread-safe.
class HostileIndex {
public:
    explicit HostileIndex(const std::vector<HostileInput> &hostile);
    ~HostileIndex();
    HostileIndex(HostileIndex &&) noexcept;
    HostileIndex &operator=(HostileIndex &&) noexcept;

    struct Hit {
        bool occupied = false;
        bool contested = false;
        std::optional<double> distanceKm; // nullopt: no hostile positions at all
        model::LonLat nearest;
    };
    Hit query(model::LonLat p) const;
    // The same, warm-started from `*hint` (the previous query's nearest segment; updated),
    // which makes spatially sorted batches several times faster.
    Hit query(model::LonLat p, std::uint32_t *hint) const;
    Hit query(const model::Geometry &g) const; // polygons/lines: min over the geometry
    // Whether `p` is inside hostile-controlled territory (contested zones are not).
    bool occupies(model::LonLat p) const;
    std::size_t segmentCount() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Range-ring polygons: for each distance, the area within that distance of any hostile
// position (hostile territory included), built with GEOS from local azimuthal-equidistant
// buffers so the edge matches the ellipsoidal distances above.
struct Ring {
    double km = 0;
    model::Geometry area;
};
std::vector<Ring> buildRings(const std::vector<HostileInput> &hostile, const std::vector<double> &ringsKm);

} // namespace orefront::analysis
