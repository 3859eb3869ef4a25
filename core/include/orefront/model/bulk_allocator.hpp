#pragma once
// An allocator for the per-deposit arrays (a million entries and more). Large blocks are
// 2 MiB-aligned and advised for transparent huge pages, so first touch costs one page fault
// per 2 MiB instead of one per 4 KiB: on a virtual machine a fault costs microseconds, and
// the report of a million deposits would otherwise spend more time faulting than evaluating.
// Small blocks go to operator new as usual.
#include <cstddef>
#include <new>
#include <vector>

namespace orefront::model {

namespace detail {
void *allocateBulk(std::size_t bytes);
void deallocateBulk(void *p, std::size_t bytes) noexcept;
} // namespace detail

// Advises the whole 2 MiB pages within [p, p + bytes) for transparent huge pages: for a large
// buffer that some other allocator made (a std::vector reserved for a million features) before
// it is first written. Advice only; below 4 MiB it does nothing.
void adviseHugePages(const void *p, std::size_t bytes) noexcept;

template <class T> struct BulkAllocator {
    using value_type = T;
    BulkAllocator() noexcept = default;
    template <class U> BulkAllocator(const BulkAllocator<U> &) noexcept {}
    T *allocate(std::size_t n) { return static_cast<T *>(detail::allocateBulk(n * sizeof(T))); }
    void deallocate(T *p, std::size_t n) noexcept { detail::deallocateBulk(p, n * sizeof(T)); }
    template <class U> bool operator==(const BulkAllocator<U> &) const noexcept { return true; }
};

template <class T> using BulkVector = std::vector<T, BulkAllocator<T>>;

} // namespace orefront::model
