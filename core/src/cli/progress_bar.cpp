#include "orefront/cli/progress_bar.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace orefront::cli {

namespace {

// 1234567 -> "1,234,567"
std::string grouped(std::uint64_t v) {
    std::string digits = std::to_string(v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

// 204513.2 -> "205k/s"
std::string rate(double perSecond) {
    char buf[32];
    if (perSecond >= 1e6)
        std::snprintf(buf, sizeof buf, "%.1fM/s", perSecond / 1e6);
    else if (perSecond >= 1e3)
        std::snprintf(buf, sizeof buf, "%.0fk/s", perSecond / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.0f/s", perSecond);
    return buf;
}

// 75 -> "1:15", 3 -> "3 s"
std::string duration(double seconds) {
    const auto s = static_cast<long>(std::lround(std::max(0.0, seconds)));
    char buf[32];
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%ld s", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    return buf;
}

int terminalWidth(std::FILE *out) {
    winsize ws{};
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}

} // namespace

std::string formatProgressLine(const model::Progress::Snapshot &s, int width) {
    const double perSecond = s.seconds > 0 ? static_cast<double>(s.done) / s.seconds : 0.0;
    if (s.total == 0) {
        std::string line =
            s.stage + "  " + grouped(s.done) + "  " + rate(perSecond) + "  " + duration(s.seconds);
        return line.substr(0, static_cast<std::size_t>(std::max(width, 0)));
    }
    const std::uint64_t done = std::min(s.done, s.total);
    const double fraction = static_cast<double>(done) / static_cast<double>(s.total);
    std::string tail = "  " + grouped(done) + " / " + grouped(s.total) + "  " +
                       std::to_string(static_cast<int>(fraction * 100)) + "%  " + rate(perSecond);
    if (done > 0 && done < s.total)
        tail += "  ETA " + duration(s.seconds * (1 - fraction) / fraction);
    const std::string head = s.stage + "  [";
    const int barWidth = std::min<int>(30, width - static_cast<int>(head.size() + tail.size()) - 1);
    if (barWidth < 5) // no room for a bar: the figures alone
        return (s.stage + tail).substr(0, static_cast<std::size_t>(std::max(width, 0)));
    const int filled = static_cast<int>(fraction * barWidth);
    return head + std::string(static_cast<std::size_t>(filled), '#') +
           std::string(static_cast<std::size_t>(barWidth - filled), '.') + "]" + tail;
}

bool progressWanted(bool quiet) {
    return !quiet && isatty(STDERR_FILENO) == 1;
}

ProgressBar::ProgressBar(const model::Progress &progress, bool enabled, std::FILE *out)
    : m_progress(progress), m_out(out) {
    if (enabled)
        m_thread = std::thread([this] { run(); });
}

ProgressBar::~ProgressBar() {
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void ProgressBar::clear() {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_drawn) {
        std::fputs("\r\x1b[K", m_out);
        std::fflush(m_out);
        m_drawn = false;
    }
}

void ProgressBar::run() {
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_wake.wait_for(lock, std::chrono::milliseconds(100), [this] { return m_stop; });
        const model::Progress::Snapshot s = m_progress.snapshot();
        // Only a stage past its first second gets a bar; a finished or stopped one is cleared.
        const bool show = !m_stop && s.running && s.seconds > 1.0;
        if (show) {
            const int width = terminalWidth(m_out) - 1;
            std::fprintf(m_out, "\r%s\x1b[K", formatProgressLine(s, width).c_str());
            std::fflush(m_out);
            m_drawn = true;
        } else if (m_drawn) {
            std::fputs("\r\x1b[K", m_out);
            std::fflush(m_out);
            m_drawn = false;
        }
        if (m_stop)
            return;
    }
}

} // namespace orefront::cli
