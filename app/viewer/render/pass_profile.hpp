#pragma once
// Where a frame's time goes, pass by pass: with OREFRONT_PASS_PROFILE=1 in the environment,
// each PassTimer finishes the GL work queued before it (glFinish), times its own pass to a
// glFinish at its end, and adds the wall time to the pass's list; `orefront view
// --bench-frames` prints the medians. The glFinish calls serialise the CPU and llvmpipe's
// raster threads, so the passes add up to more than a normal frame: read the shares, not the
// total. Each line also gives the median CPU time of the whole process over the pass (all
// threads: the raster threads' work too), which a loaded machine moves less than the wall
// time. Off (the default), a PassTimer costs one branch.
// Thread rule: GL thread only.
#include <cstdio>

namespace orefront::viewer {

class PassTimer {
public:
    explicit PassTimer(const char *pass);
    ~PassTimer();
    PassTimer(const PassTimer &) = delete;
    PassTimer &operator=(const PassTimer &) = delete;

    static bool enabled();
    // Median and count of each pass since the last reset, one line each, to `out`.
    static void print(std::FILE *out);
    static void reset();

private:
    const char *m_pass = nullptr; // null when profiling is off
    double m_startMs = 0;
    double m_startCpuMs = 0;
};

} // namespace orefront::viewer
