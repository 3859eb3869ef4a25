#pragma once
// Background work for the viewer. Workers run jobs (load, measure, rings, mesh building);
// a job hands its result to the UI by posting a closure that holds a
// std::shared_ptr<const T> (frozen before it crosses threads, MapLibre's Immutable); the UI
// drains the queue once per frame (Tracy's RunQueue). GL objects never cross.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace orefront::viewer {

// Closures from workers, run on the UI thread by drain().
class UiQueue {
public:
    void post(std::function<void()> fn) {
        std::lock_guard lock(m_mutex);
        m_items.push_back(std::move(fn));
    }
    // Runs everything posted so far, in order. UI thread only. Returns how many ran.
    std::size_t drain() {
        std::vector<std::function<void()>> items;
        {
            std::lock_guard lock(m_mutex);
            items.swap(m_items);
        }
        for (auto &fn : items)
            fn();
        return items.size();
    }

private:
    std::mutex m_mutex;
    std::vector<std::function<void()>> m_items;
};

// A fixed set of worker threads. The destructor drops queued jobs and joins the running
// ones, so owners must destroy it before what the jobs touch.
class WorkerPool {
public:
    explicit WorkerPool(unsigned threads) {
        for (unsigned i = 0; i < threads; ++i)
            m_threads.emplace_back([this](std::stop_token st) { loop(st); });
    }
    ~WorkerPool() {
        {
            std::lock_guard lock(m_mutex);
            m_jobs.clear();
            for (auto &t : m_threads)
                t.request_stop();
        }
        m_cv.notify_all();
        m_threads.clear(); // joins
    }
    WorkerPool(const WorkerPool &) = delete;
    WorkerPool &operator=(const WorkerPool &) = delete;

    void submit(std::function<void()> job) {
        {
            std::lock_guard lock(m_mutex);
            m_jobs.push_back(std::move(job));
        }
        m_cv.notify_one();
    }

private:
    void loop(std::stop_token st) {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(m_mutex);
                m_cv.wait(lock, [&] { return st.stop_requested() || !m_jobs.empty(); });
                if (st.stop_requested())
                    return;
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
            }
            job();
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::function<void()>> m_jobs;
    std::vector<std::jthread> m_threads;
};

} // namespace orefront::viewer
