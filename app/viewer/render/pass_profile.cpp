#include "render/pass_profile.hpp"

#include <epoxy/gl.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace orefront::viewer {

namespace {

double nowMs() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// In first-seen order, so the printout follows the frame.
std::vector<std::pair<std::string, std::vector<double>>> &passes() {
    static std::vector<std::pair<std::string, std::vector<double>>> all;
    return all;
}

} // namespace

bool PassTimer::enabled() {
    static const bool on = [] {
        const char *v = std::getenv("OREFRONT_PASS_PROFILE");
        return v && *v && std::strcmp(v, "0") != 0;
    }();
    return on;
}

PassTimer::PassTimer(const char *pass) {
    if (!enabled())
        return;
    glFinish();
    m_pass = pass;
    m_startMs = nowMs();
}

PassTimer::~PassTimer() {
    if (!m_pass)
        return;
    glFinish();
    const double ms = nowMs() - m_startMs;
    auto &all = passes();
    auto it = std::find_if(all.begin(), all.end(), [&](const auto &p) { return p.first == m_pass; });
    if (it == all.end())
        it = all.insert(all.end(), {m_pass, {}});
    it->second.push_back(ms);
}

void PassTimer::print(std::FILE *out) {
    for (auto &[name, ms] : passes()) {
        if (ms.empty())
            continue;
        std::vector<double> sorted = ms;
        std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(sorted.size() / 2), sorted.end());
        std::fprintf(out, "orefront view: pass %-28s median %7.2f ms over %zu\n", name.c_str(),
                     sorted[sorted.size() / 2], ms.size());
    }
}

void PassTimer::reset() {
    passes().clear();
}

} // namespace orefront::viewer
