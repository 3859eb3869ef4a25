#include "orefront/model/bulk_allocator.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>

namespace orefront::model::detail {

namespace {
constexpr std::size_t kHugePage = std::size_t(2) << 20;
constexpr std::size_t kBulkThreshold = std::size_t(4) << 20;
} // namespace

void *allocateBulk(std::size_t bytes) {
    if (bytes < kBulkThreshold)
        return ::operator new(bytes);
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void *p = std::aligned_alloc(kHugePage, rounded);
    if (!p)
        throw std::bad_alloc();
    madvise(p, rounded, MADV_HUGEPAGE); // advice only: without THP it is ordinary memory
    return p;
}

void deallocateBulk(void *p, std::size_t bytes) noexcept {
    if (bytes < kBulkThreshold)
        ::operator delete(p);
    else
        std::free(p);
}

} // namespace orefront::model::detail

namespace orefront::model {

void adviseHugePages(const void *p, std::size_t bytes) noexcept {
    if (!p || bytes < detail::kBulkThreshold)
        return;
    const auto begin = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t first = (begin + detail::kHugePage - 1) / detail::kHugePage * detail::kHugePage;
    const std::uintptr_t last = (begin + bytes) / detail::kHugePage * detail::kHugePage;
    if (last > first)
        madvise(reinterpret_cast<void *>(first), last - first, MADV_HUGEPAGE);
}

} // namespace orefront::model
