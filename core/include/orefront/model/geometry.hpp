#pragma once
// Geometry value types of the model: WGS84 longitude/latitude in degrees, traditional GIS
// order (lon first). Plain values, no GDAL/GEOS/PROJ: views and tests use them directly.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <vector>

namespace orefront::model {

struct LonLat {
    double lon = 0.0;
    double lat = 0.0;
    bool operator==(const LonLat &) const = default;
};

struct BBox {
    double minLon = std::numeric_limits<double>::infinity();
    double minLat = std::numeric_limits<double>::infinity();
    double maxLon = -std::numeric_limits<double>::infinity();
    double maxLat = -std::numeric_limits<double>::infinity();

    bool empty() const { return minLon > maxLon; }
    void expand(LonLat p);
    void expand(const BBox &b);
    bool contains(LonLat p) const {
        return p.lon >= minLon && p.lon <= maxLon && p.lat >= minLat && p.lat <= maxLat;
    }
    LonLat center() const { return {(minLon + maxLon) / 2, (minLat + maxLat) / 2}; }
};

using Path = std::vector<LonLat>; // a line string, or a closed ring (first == last)

// The points of a geometry: a vector that holds one point inline. Nearly every deposit is one
// point, and a std::vector would spend a heap block (32 B with malloc's header) on its 16 bytes;
// a million deposits are a million allocations fewer. The vector API the code uses, nothing more.
class PointList {
public:
    using value_type = LonLat;
    using iterator = LonLat *;
    using const_iterator = const LonLat *;
    using size_type = std::size_t;

    PointList() = default;
    PointList(std::initializer_list<LonLat> l) { assign(l.begin(), l.end()); }
    template <class It> PointList(It first, It last) { assign(first, last); }
    explicit PointList(const std::vector<LonLat> &v) { assign(v.begin(), v.end()); }
    PointList(const PointList &o) { assign(o.begin(), o.end()); }
    PointList(PointList &&o) noexcept { take(o); }
    PointList &operator=(const PointList &o) {
        if (this != &o)
            assign(o.begin(), o.end());
        return *this;
    }
    PointList &operator=(PointList &&o) noexcept {
        if (this != &o) {
            release();
            take(o);
        }
        return *this;
    }
    PointList &operator=(std::initializer_list<LonLat> l) {
        assign(l.begin(), l.end());
        return *this;
    }
    ~PointList() { release(); }

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    LonLat *data() { return m_cap > 1 ? m_heap : &m_one; }
    const LonLat *data() const { return m_cap > 1 ? m_heap : &m_one; }
    LonLat *begin() { return data(); }
    LonLat *end() { return data() + m_size; }
    const LonLat *begin() const { return data(); }
    const LonLat *end() const { return data() + m_size; }
    LonLat &operator[](std::size_t i) { return data()[i]; }
    const LonLat &operator[](std::size_t i) const { return data()[i]; }
    const LonLat &at(std::size_t i) const {
        if (i >= m_size)
            throw std::out_of_range("PointList::at");
        return data()[i];
    }
    LonLat &front() { return data()[0]; }
    const LonLat &front() const { return data()[0]; }
    LonLat &back() { return data()[m_size - 1]; }
    const LonLat &back() const { return data()[m_size - 1]; }

    void reserve(std::size_t n) {
        if (n <= capacity())
            return;
        auto *p = new LonLat[n];
        std::copy(begin(), end(), p);
        const std::uint32_t size = m_size;
        release();
        m_heap = p;
        m_size = size;
        m_cap = static_cast<std::uint32_t>(n);
    }
    void push_back(LonLat p) {
        if (m_size == capacity())
            reserve(std::max<std::size_t>(4, 2 * capacity()));
        data()[m_size++] = p;
    }
    void emplace_back(LonLat p) { push_back(p); }
    void emplace_back(double lon, double lat) { push_back({lon, lat}); }
    void clear() { m_size = 0; }
    template <class It> void insert(const LonLat *pos, It first, It last) {
        if (pos != end())
            throw std::logic_error("PointList::insert: only at the end");
        reserve(m_size + static_cast<std::size_t>(std::distance(first, last)));
        for (; first != last; ++first)
            data()[m_size++] = *first;
    }
    // The points as a plain vector, for functions that take one.
    std::vector<LonLat> toVector() const { return {begin(), end()}; }

    friend bool operator==(const PointList &a, const PointList &b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end());
    }
    friend bool operator==(const PointList &a, const std::vector<LonLat> &b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end());
    }

private:
    std::size_t capacity() const { return m_cap > 1 ? m_cap : 1; }
    template <class It> void assign(It first, It last) {
        clear();
        reserve(static_cast<std::size_t>(std::distance(first, last)));
        for (; first != last; ++first)
            data()[m_size++] = *first;
    }
    void release() noexcept {
        if (m_cap > 1)
            delete[] m_heap;
        m_cap = 1;
        m_size = 0;
    }
    void take(PointList &o) noexcept {
        m_size = o.m_size;
        m_cap = o.m_cap;
        if (o.m_cap > 1)
            m_heap = o.m_heap;
        else
            m_one = o.m_one;
        o.m_cap = 1;
        o.m_size = 0;
    }

    union {
        LonLat m_one{};
        LonLat *m_heap;
    };
    std::uint32_t m_size = 0;
    std::uint32_t m_cap = 1; // 1: the point is inline (m_one); more: m_heap
};

struct Polygon {
    std::vector<Path> rings; // rings[0] is the exterior, the rest are holes
};

// One feature's geometry, any OGR type flattened: a Point/MultiPoint fills `points`, a
// (Multi)LineString `lines`, a (Multi)Polygon `polygons`; a GeometryCollection may fill
// several. Z and M are dropped on load.
struct Geometry {
    PointList points;
    std::vector<Path> lines;
    std::vector<Polygon> polygons;

    bool empty() const { return points.empty() && lines.empty() && polygons.empty(); }
    bool isSinglePoint() const { return points.size() == 1 && lines.empty() && polygons.empty(); }
    BBox bounds() const;
    // A point that stands for the feature: the point itself, the middle vertex of a line,
    // the bounding-box centre of a polygon's exterior. For labels and markers.
    LonLat anchor() const;
};

} // namespace orefront::model
