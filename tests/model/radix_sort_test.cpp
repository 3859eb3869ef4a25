// model::sortByKey (issue 11): the measurement's Morton order and the duplicate-name check sort
// a million (key, index) pairs with it; it must give exactly std::sort's order for pairs given in
// index order, whatever the keys share.
#include "orefront/model/radix_sort.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

using orefront::model::KeyedIndex;

namespace {

// The pairs (key(i), i) for i in [0, n), sorted both ways.
template <class Key> void checkAgainstStdSort(std::size_t n, Key key) {
    std::vector<KeyedIndex> v(n), spare;
    for (std::size_t i = 0; i < n; ++i)
        v[i] = {key(i), static_cast<std::uint32_t>(i)};
    std::vector<KeyedIndex> expected = v;
    std::sort(expected.begin(), expected.end());
    orefront::model::sortByKey(v, spare);
    CHECK(v == expected);
}

} // namespace

TEST_CASE("sortByKey: the order of std::sort of (key, index) pairs", "[model][issue11]") {
    std::mt19937_64 rng(11);
    SECTION("random 64-bit keys (every byte differs)") {
        std::vector<std::uint64_t> keys(100000);
        for (auto &k : keys)
            k = rng();
        checkAgainstStdSort(keys.size(), [&](std::size_t i) { return keys[i]; });
    }
    SECTION("many ties: equal keys keep index order") {
        std::vector<std::uint64_t> keys(50000);
        for (auto &k : keys)
            k = rng() % 97;
        checkAgainstStdSort(keys.size(), [&](std::size_t i) { return keys[i]; });
    }
    SECTION("keys alike in their high and middle bytes (skipped passes)") {
        std::vector<std::uint64_t> keys(70000);
        for (auto &k : keys)
            k = 0x5A5A000000000000ull | (rng() & 0xFF00FFull);
        checkAgainstStdSort(keys.size(), [&](std::size_t i) { return keys[i]; });
    }
    SECTION("every key equal, one pair, none") {
        checkAgainstStdSort(1000, [](std::size_t) { return std::uint64_t(42); });
        checkAgainstStdSort(1, [](std::size_t) { return std::uint64_t(7); });
        checkAgainstStdSort(0, [](std::size_t) { return std::uint64_t(0); });
    }
    SECTION("descending keys, the extremes of the range") {
        checkAgainstStdSort(3000, [](std::size_t i) { return ~std::uint64_t(0) - i * 0x0101010101ull; });
    }
}
