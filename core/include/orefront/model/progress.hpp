#pragma once
// Progress of a long job (loading layers, measuring, writing a report, a history run), shared
// between the thread doing the work and whoever shows it: the terminal bar of the CLI
// (cli/progress_bar.hpp) or the viewer's status line. Plain counters, no I/O.
//
// Thread rules: any thread may call every member at any time. The counters are atomics, so the
// worker's add() costs one relaxed increment; the stage name is behind a mutex and is meant to
// change a few times per job, not per item. A job that takes no Progress is passed nullptr:
// use the free advance()/startStage() helpers, which accept nullptr.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace orefront::model {

class Progress {
public:
    struct Snapshot {
        std::string stage;       // "load deposits", "measure", "write", ...; empty before any stage
        std::uint64_t done = 0;  // items done in this stage
        std::uint64_t total = 0; // items in this stage; 0 when unknown
        double seconds = 0;      // since the stage started
        bool running = false;    // a stage has started and not finished
    };

    // Starts a stage: resets the count and the clock. `total` 0 = unknown.
    void start(std::string stage, std::uint64_t total) {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stage = std::move(stage);
        m_started = std::chrono::steady_clock::now();
        m_done.store(0, std::memory_order_relaxed);
        m_total.store(total, std::memory_order_relaxed);
        m_running.store(true, std::memory_order_release);
    }
    void add(std::uint64_t n = 1) { m_done.fetch_add(n, std::memory_order_relaxed); }
    void setTotal(std::uint64_t total) { m_total.store(total, std::memory_order_relaxed); }
    void finish() { m_running.store(false, std::memory_order_release); }

    Snapshot snapshot() const {
        Snapshot s;
        std::lock_guard<std::mutex> lock(m_mutex);
        s.stage = m_stage;
        s.done = m_done.load(std::memory_order_relaxed);
        s.total = m_total.load(std::memory_order_relaxed);
        s.running = m_running.load(std::memory_order_acquire);
        if (!s.stage.empty())
            s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
        return s;
    }

private:
    mutable std::mutex m_mutex;
    std::string m_stage;
    std::chrono::steady_clock::time_point m_started{};
    std::atomic<std::uint64_t> m_done{0}, m_total{0};
    std::atomic<bool> m_running{false};
};

// nullptr-tolerant helpers for code that takes an optional Progress *.
inline void startStage(Progress *p, std::string stage, std::uint64_t total) {
    if (p)
        p->start(std::move(stage), total);
}
inline void advance(Progress *p, std::uint64_t n = 1) {
    if (p)
        p->add(n);
}
inline void finishStage(Progress *p) {
    if (p)
        p->finish();
}

} // namespace orefront::model
