#pragma once
// A one-line progress bar on stderr for long CLI runs (issue 11): counts, rate and ETA, redrawn
// in place with '\r'. Shown only when stderr is a terminal and the run is not --quiet, and only
// for a stage that has run for more than a second; nothing at all is written otherwise, so logs
// and pipes never see it.
#include "orefront/model/progress.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace orefront::cli {

// "measure  [##########..........]  512,000 / 1,000,000  51%  204k/s  ETA 2 s", `width` columns
// at most (the bar shrinks to fit). Unknown total: "load deposits  512,000  204k/s  2.5 s".
std::string formatProgressLine(const model::Progress::Snapshot &s, int width);

// Whether a bar may be drawn: stderr is a terminal and not quiet.
bool progressWanted(bool quiet);

// Draws `progress` on `out` from a thread of its own every 100 ms while enabled; clears the line
// when destroyed. With enabled = false it starts no thread and writes nothing.
class ProgressBar {
public:
    ProgressBar(const model::Progress &progress, bool enabled, std::FILE *out = stderr);
    ~ProgressBar();
    ProgressBar(const ProgressBar &) = delete;
    ProgressBar &operator=(const ProgressBar &) = delete;
    // Erases the bar now (before other output); it comes back with the next running stage.
    void clear();

private:
    void run();

    const model::Progress &m_progress;
    std::FILE *m_out;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_drawn = false;
    std::thread m_thread;
};

} // namespace orefront::cli
