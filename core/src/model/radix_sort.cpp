#include "orefront/model/radix_sort.hpp"

#include <algorithm>
#include <array>

namespace orefront::model {

void sortByKey(std::vector<KeyedIndex> &v, std::vector<KeyedIndex> &spare) {
    std::array<std::array<std::uint32_t, 256>, 8> counts{};
    for (const auto &e : v)
        for (int b = 0; b < 8; ++b)
            ++counts[b][(e.first >> (8 * b)) & 0xFF];
    spare.resize(v.size());
    for (int b = 0; b < 8; ++b) {
        auto &c = counts[b];
        if (std::find(c.begin(), c.end(), static_cast<std::uint32_t>(v.size())) != c.end())
            continue; // every key has the same byte b: this pass would change nothing
        std::uint32_t sum = 0;
        for (auto &n : c)
            sum += std::exchange(n, sum);
        for (const auto &e : v)
            spare[c[(e.first >> (8 * b)) & 0xFF]++] = e;
        v.swap(spare);
    }
}

} // namespace orefront::model
