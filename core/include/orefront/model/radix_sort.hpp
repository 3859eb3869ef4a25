#pragma once
// Sorting a million (key, index) pairs: the measurement's Morton order and the duplicate-name
// check's hashes (issue 11). A least-significant-digit radix sort, one byte a pass, that skips
// the passes whose byte is the same in every key (the high bytes of nearby Morton keys): a
// fraction of std::sort's time, and the same order for pairs given in index order.
#include <cstdint>
#include <utility>
#include <vector>

namespace orefront::model {

using KeyedIndex = std::pair<std::uint64_t, std::uint32_t>;

// Sorts `v` by key, equal keys kept in the order given (stable); `spare` is scratch space of
// the caller's, reused between calls. Pairs whose indexes ascend come out as std::sort(v) puts
// them. Not thread-safe for the same vectors.
void sortByKey(std::vector<KeyedIndex> &v, std::vector<KeyedIndex> &spare);

} // namespace orefront::model
