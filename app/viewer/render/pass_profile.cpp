#include "render/pass_profile.hpp"

#include <epoxy/gl.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

namespace orefront::viewer {

namespace {

double nowMs() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// CPU time of the whole process, llvmpipe's raster threads included: on a shared machine it
// moves less with the load than the wall time does.
double processCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

struct Samples {
    std::vector<double> wallMs, cpuMs;
};

// In first-seen order, so the printout follows the frame.
std::vector<std::pair<std::string, Samples>> &passes() {
    static std::vector<std::pair<std::string, Samples>> all;
    return all;
}

double median(std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() / 2), v.end());
    return v[v.size() / 2];
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
    m_startCpuMs = processCpuMs();
}

PassTimer::~PassTimer() {
    if (!m_pass)
        return;
    glFinish();
    const double ms = nowMs() - m_startMs, cpuMs = processCpuMs() - m_startCpuMs;
    auto &all = passes();
    auto it = std::find_if(all.begin(), all.end(), [&](const auto &p) { return p.first == m_pass; });
    if (it == all.end())
        it = all.insert(all.end(), {m_pass, {}});
    it->second.wallMs.push_back(ms);
    it->second.cpuMs.push_back(cpuMs);
}

void PassTimer::print(std::FILE *out) {
    for (const auto &[name, samples] : passes()) {
        if (samples.wallMs.empty())
            continue;
        std::fprintf(out, "orefront view: pass %-28s median %7.2f ms over %zu (CPU %.2f ms)\n", name.c_str(),
                     median(samples.wallMs), samples.wallMs.size(), median(samples.cpuMs));
    }
}

void PassTimer::reset() {
    passes().clear();
}

} // namespace orefront::viewer
