#include "control.hpp"
#include "orefront/analysis/analysis.hpp"
#include "orefront/analysis/control.hpp"
#include "orefront/analysis/spatial_index.hpp"
#include "orefront/model/radix_sort.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <limits>
#include <mutex>
#include <numeric>
#include <optional>
#include <thread>

namespace orefront::analysis {

namespace {

// One infrastructure layer's usable features, and the name of each segment's feature.
struct InfrastructureIndex {
    NearestSegments segments;
    std::vector<std::uint32_t> nameOf; // per segment: index into Measurements::names
    bool empty() const { return segments.empty(); }
};

// Infrastructure within Inputs::lineOfContactKm (default 2 km, [thresholds]
// line_of_contact_km) of hostile territory or a front line is on the line of contact, and a
// port that close to a hostile coast is that coast's port: a coarse polygon can leave a quay a
// kilometre or so out at sea (Berdiansk in the bundled data is 1.35 km out, Novorossiysk
// 0.36 km).

// Leaves out, once per layer rather than per deposit, what cannot serve a deposit: features
// the layer's status marks unusable, and whatever lies in hostile-controlled territory or on
// the line of contact (a point or polygon by its position, a line cut where it enters).
// The edges of hostile-controlled territory, whether or not ranges are measured from them, and
// every hostile line and point.
NearestSegments hostileEdges(const std::vector<HostileInput> &hostile) {
    const detail::ControlGeometry control = detail::sortControl(hostile);
    NearestSegments edges;
    for (const auto *poly : control.hostile)
        for (const auto &ring : poly->rings)
            edges.addPath(ring);
    for (const auto *path : control.firingPaths) // the rings among them twice: harmless
        edges.addPath(*path);
    for (const auto &p : control.firingPoints)
        edges.addPoint(p);
    edges.build();
    return edges;
}

// `edges`: every hostile polygon's rings (range_from or not) and every front line.
InfrastructureIndex infrastructureIndex(const model::Layer *layer, const model::LayerSpec *spec,
                                        const HostileIndex &hostile, const NearestSegments &edges,
                                        double lineOfContactKm, Measurements &out) {
    InfrastructureIndex ix;
    if (!layer)
        return ix;
    const UsabilityReader usability(*layer, spec);
    // Why `p` cannot serve, or nullptr.
    char km[32];
    std::snprintf(km, sizeof km, "%g", lineOfContactKm);
    const std::string onContact =
        std::string("within ") + km + " km of hostile-controlled territory or a front line";
    auto held = [&](model::LonLat p) -> const char * {
        if (hostile.occupies(p))
            return "in hostile-controlled territory";
        if (!edges.empty() && edges.nearest(p)->distanceM <= lineOfContactKm * 1000)
            return onContact.c_str();
        return nullptr;
    };
    for (const auto &f : layer->features) {
        const std::string name = usability.nameOf(f);
        auto exclude = [&](const std::string &reason) {
            out.excluded.push_back(
                {layer->describe(), name.empty() ? "feature " + std::to_string(f.fid) : name, reason});
        };
        if (usability.unusable(f)) {
            exclude("status '" + usability.statusOf(f) + "'");
            continue;
        }
        const std::size_t before = ix.segments.size();
        const char *why = nullptr;
        for (const auto &p : f.geometry.points) {
            if (const char *w = held(p))
                why = w;
            else
                ix.segments.addPoint(p);
        }
        for (const auto &l : f.geometry.lines) {
            model::Path run;
            for (const auto &v : l) {
                const char *w = held(v);
                if (!w) {
                    run.push_back(v);
                    continue;
                }
                why = w;
                if (run.size() > 1)
                    ix.segments.addPath(run);
                run.clear();
            }
            if (run.size() > 1)
                ix.segments.addPath(run);
        }
        if (!f.geometry.polygons.empty()) {
            if (const char *w = held(f.geometry.anchor()))
                why = w;
            else
                for (const auto &poly : f.geometry.polygons)
                    for (const auto &r : poly.rings)
                        ix.segments.addPath(r);
        }
        if (ix.segments.size() == before) {
            if (why)
                exclude(why);
            continue;
        }
        std::uint32_t ref = 0;
        if (!name.empty()) {
            ref = static_cast<std::uint32_t>(out.names.size());
            out.names.push_back(name);
        }
        ix.nameOf.resize(ix.segments.size(), ref);
    }
    ix.segments.build();
    return ix;
}

// Morton (Z-order) key of a lon/lat, so that consecutive queries are near each other and
// each warm-starts from the previous one's answer.
std::uint64_t mortonKey(model::LonLat p) {
    auto spread = [](std::uint32_t v) {
        std::uint64_t x = v;
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFull;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFull;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0Full;
        x = (x | (x << 2)) & 0x3333333333333333ull;
        x = (x | (x << 1)) & 0x5555555555555555ull;
        return x;
    };
    const auto qx = static_cast<std::uint32_t>(std::clamp((p.lon + 180.0) / 360.0, 0.0, 1.0) * 4294967295.0);
    const auto qy = static_cast<std::uint32_t>(std::clamp((p.lat + 90.0) / 180.0, 0.0, 1.0) * 4294967295.0);
    return spread(qx) | (spread(qy) << 1);
}

// Distance to the nearest feature of `idx` from a point deposit, or from the nearest of a line
// or polygon deposit's boundary `samples` (1 km apart: within 0.5 km of exact); sets *name.
std::optional<double> nearestKm(const InfrastructureIndex &idx, const model::Geometry &g,
                                const std::vector<model::LonLat> &samples, std::uint32_t *hint,
                                std::uint32_t *name) {
    if (idx.empty())
        return std::nullopt;
    if (g.isSinglePoint()) {
        auto r = idx.segments.nearest(g.points[0], *hint);
        *hint = r->segment;
        *name = idx.nameOf[r->segment];
        return r->distanceM / 1000.0;
    }
    double best = std::numeric_limits<double>::infinity();
    for (const auto &p : samples) {
        const auto r = idx.segments.nearest(p);
        if (r->distanceM < best) {
            best = r->distanceM;
            *name = idx.nameOf[r->segment];
        }
    }
    return best / 1000.0;
}

} // namespace

namespace {

// The deposits in measuring order: blocks of `block` deposits in file order, each sorted by
// Morton key within (one block of all: the whole layer sorted), ties by index.
std::vector<std::uint32_t> measuringOrder(const std::vector<model::Feature> &features, std::size_t block) {
    std::vector<std::uint32_t> order(features.size());
    // One block's pairs, 1.5 MB each at 128k; radix-sorted (std::sort took 2.5 % of all CPU at 1M).
    std::vector<model::KeyedIndex> keyed, spare;
    for (std::size_t b = 0; b < features.size(); b += block) {
        const std::size_t end = std::min(features.size(), b + block);
        keyed.resize(end - b);
        for (std::size_t i = b; i < end; ++i)
            keyed[i - b] = {mortonKey(features[i].geometry.anchor()), static_cast<std::uint32_t>(i)};
        model::sortByKey(keyed, spare);
        for (std::size_t k = b; k < end; ++k)
            order[k] = keyed[k - b].second;
    }
    return order;
}

void measureDeposits(const Inputs &in, Measurements &out, unsigned threads, model::Progress *progress,
                     const MeasureFeed *feed) {
    const auto &features = in.deposits->features;
    out.perDeposit.resize(features.size());
    model::startStage(progress, "measure", features.size());

    // The Morton sort runs beside the index construction.
    std::vector<std::uint32_t> order;
    const std::size_t block =
        feed ? std::max<std::size_t>(1, feed->block) : std::max<std::size_t>(1, features.size());
    std::thread sorter([&] { order = measuringOrder(features, block); });
    std::optional<HostileIndex> hostileIndex;
    InfrastructureIndex ports, rail, power;
    try {
        hostileIndex.emplace(in.hostile);
        if (in.ports || in.rail || in.power) {
            const NearestSegments edges = hostileEdges(in.hostile);
            ports =
                infrastructureIndex(in.ports, in.portsSpec, *hostileIndex, edges, in.lineOfContactKm, out);
            rail = infrastructureIndex(in.rail, in.railSpec, *hostileIndex, edges, in.lineOfContactKm, out);
            power =
                infrastructureIndex(in.power, in.powerSpec, *hostileIndex, edges, in.lineOfContactKm, out);
        }
    } catch (...) {
        sorter.join();
        throw;
    }
    sorter.join();
    out.hasPorts = !ports.empty() && !features.empty();
    out.hasRail = !rail.empty() && !features.empty();
    out.hasPower = !power.empty() && !features.empty();
    if (feed && feed->ready)
        feed->ready();
    const HostileIndex &hostile = *hostileIndex;
    const bool anyInfrastructure = out.hasPorts || out.hasRail || out.hasPower;

    auto work = [&](std::size_t begin, std::size_t end) {
        std::uint32_t hint = UINT32_MAX, portHint = UINT32_MAX, railHint = UINT32_MAX, powerHint = UINT32_MAX;
        // The deposits come in Morton order, scattered over a block's 11 MB of features: each
        // one's first read missed the caches, serially behind the previous one's distance
        // query (3.4 % of all CPU at 1M). Fetched a few deposits ahead, the misses overlap.
        constexpr std::size_t kAhead = 4;
        for (std::size_t k = begin; k < end; ++k) {
            if (k + kAhead < end) {
                const std::uint32_t ahead = order[k + kAhead];
                const auto *f = reinterpret_cast<const char *>(&features[ahead]);
                __builtin_prefetch(f);
                __builtin_prefetch(f + sizeof(model::Feature) - 1);
                __builtin_prefetch(&out.perDeposit[ahead], 1);
            }
            const std::uint32_t i = order[k];
            const model::Geometry &g = features[i].geometry;
            const bool simplePoint = g.isSinglePoint();
            const HostileIndex::Hit h = simplePoint ? hostile.query(g.points[0], &hint) : hostile.query(g);
            // Sampled once for the three infrastructure layers.
            const std::vector<model::LonLat> samples = simplePoint || !anyInfrastructure
                                                           ? std::vector<model::LonLat>{}
                                                           : detail::boundarySamples(g, 1000.0);
            Measurement &m = out.perDeposit[i];
            m.occupied = h.occupied;
            m.contested = h.contested;
            m.frontDistanceKm = h.distanceKm;
            m.nearestHostile = h.nearest;
            // A layer there is not is never queried nor written: the measurement's default (no
            // distance, no name) stands, and a report laying out its columns meanwhile may read it.
            if (out.hasPorts)
                m.portKm = nearestKm(ports, g, samples, &portHint, &m.portName);
            if (out.hasRail)
                m.railKm = nearestKm(rail, g, samples, &railHint, &m.railName);
            if (out.hasPower)
                m.powerKm = nearestKm(power, g, samples, &powerHint, &m.powerName);
        }
    };

    // Threads take chunks of consecutive (nearby) deposits until none are left: deposits near
    // the front cost more than those far away, so fixed halves would leave a thread idle.
    // Chunks finish out of order; `measured` is told the prefix of chunks that are all done.
    constexpr std::size_t kChunk = 8192;
    const std::size_t chunks = (features.size() + kChunk - 1) / kChunk;
    std::vector<char> chunkDone(feed ? chunks : 0, 0);
    std::size_t donePrefix = 0; // chunks [0, donePrefix) are done
    std::size_t announced = 0;  // deposits [0, announced) were announced as measured
    std::mutex doneMutex;
    auto chunkFinished = [&](std::size_t chunk) {
        if (!feed)
            return;
        std::lock_guard<std::mutex> lock(doneMutex);
        chunkDone[chunk] = 1;
        while (donePrefix < chunks && chunkDone[donePrefix])
            ++donePrefix;
        // Positions [0, k) of `order` are deposits [0, k) only at a block's end: within a block
        // the order is spatial.
        std::size_t n = std::min(features.size(), donePrefix * kChunk);
        if (n < features.size())
            n = n / block * block;
        if (n > announced && feed->measured)
            feed->measured(announced = n);
    };
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t begin; (begin = next.fetch_add(kChunk)) < features.size();) {
            if (feed && feed->cancel && feed->cancel->load(std::memory_order_relaxed))
                return;
            const std::size_t end = std::min(features.size(), begin + kChunk);
            work(begin, end);
            model::advance(progress, end - begin);
            chunkFinished(begin / kChunk);
        }
    };
    unsigned n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    n = static_cast<unsigned>(std::min<std::size_t>(n, chunks));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < n; ++t)
        pool.emplace_back(worker);
    worker();
    for (auto &th : pool)
        th.join();
    model::finishStage(progress);
}

} // namespace

Measurements measure(const Inputs &in, unsigned threads, model::Progress *progress) {
    const auto start = std::chrono::steady_clock::now();
    Measurements out;
    if (!in.deposits)
        return out;
    measureDeposits(in, out, threads, progress, nullptr);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

void measureInto(const Inputs &in, Measurements &out, const MeasureFeed &feed, unsigned threads,
                 model::Progress *progress) {
    const auto start = std::chrono::steady_clock::now();
    out = Measurements{};
    if (!in.deposits) {
        if (feed.ready)
            feed.ready();
        if (feed.measured)
            feed.measured(0);
        return;
    }
    measureDeposits(in, out, threads, progress, &feed);
    if (in.deposits->features.empty() && feed.measured)
        feed.measured(0);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace orefront::analysis
