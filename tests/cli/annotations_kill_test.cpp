// The kill test: `orefront annotations add` run 100 times, each killed with SIGKILL at a random
// moment of its run (before, during or after its transaction). After every kill the store
// opens with GDAL, and at the end every add that printed an id (the "saved" the CLI shows) is
// in the store with its label. Killing during the very first add also covers store creation.
#include "cli/cli_support.hpp"

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <random>
#include <thread>

using namespace orefront::clitest;

namespace {

struct Trial {
    std::string out; // what the process printed before it died
    bool finished = false;
};

// Starts `orefront annotations add` and kills it after `delay` (unless it ended first).
Trial addKilledAfter(const fs::path &store, int n, std::chrono::microseconds delay) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const std::string label = "trial " + std::to_string(n);
    const std::string lonlat = std::to_string(30.0 + n * 0.01) + ",48.5";
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(fds[1], 1);
        const int devnull = ::open("/dev/null", O_WRONLY);
        ::dup2(devnull, 2);
        ::close(fds[0]);
        ::close(fds[1]);
        ::execl(OREFRONT_BINARY, "orefront", "annotations", "add", "--store", store.c_str(), "--kind",
                "marker", "--label", label.c_str(), "--lonlat", lonlat.c_str(), static_cast<char *>(nullptr));
        ::_exit(127);
    }
    ::close(fds[1]);
    std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    Trial t;
    t.finished = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    char buf[256];
    for (ssize_t got; (got = ::read(fds[0], buf, sizeof buf)) > 0;)
        t.out.append(buf, static_cast<std::size_t>(got));
    ::close(fds[0]);
    return t;
}

} // namespace

TEST_CASE_METHOD(CliFixture, "kill -9 during annotations add: the store always opens, no saved add is lost",
                 "[cli][kill]") {
    initGdal();
    const fs::path store = out("kill.gpkg");
    // How long one add takes here (a scratch store): the kills fall across 0..1.6 of that.
    const fs::path scratch = out("scratch.gpkg");
    auto t0 = std::chrono::steady_clock::now();
    REQUIRE(run("annotations add",
                {"--store", scratch.string(), "--kind", "marker", "--label", "x", "--lonlat", "1,2"})
                .code == 0);
    t0 = std::chrono::steady_clock::now();
    REQUIRE(run("annotations add",
                {"--store", scratch.string(), "--kind", "marker", "--label", "y", "--lonlat", "1,2"})
                .code == 0);
    const auto oneAdd =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);

    std::mt19937 rng(20261201);
    std::uniform_int_distribution<long> when(0, oneAdd.count() * 16 / 10);
    std::map<std::int64_t, std::string> saved; // id -> label, for every add that printed its id
    int killed = 0, partial = 0;
    for (int n = 0; n < 100; ++n) {
        const Trial t = addKilledAfter(store, n, std::chrono::microseconds(when(rng)));
        if (!t.finished)
            ++killed;
        if (!t.out.empty() && t.out.back() == '\n') {
            const std::int64_t id = std::stoll(t.out);
            CHECK(saved.count(id) == 0); // ids are never handed out twice
            saved[id] = "trial " + std::to_string(n);
        } else if (!t.out.empty()) {
            ++partial;
        }
        if (!fs::exists(store))
            continue; // killed before the store was linked into place
        // After every kill GDAL opens the file read-only, as ogrinfo or QGIS would, and
        // read-write, as the next writer would.
        INFO("after trial " << n);
        GDALDatasetUniquePtr ro(
            GDALDataset::Open(store.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
        REQUIRE(ro);
        REQUIRE(ro->GetLayerByName("annotations"));
        ro.reset();
        GDALDatasetUniquePtr rw(
            GDALDataset::Open(store.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
        REQUIRE(rw);
        REQUIRE(rw->GetLayerByName("annotations"));
    }
    WARN("kill test: 100 runs of `annotations add` (one takes "
         << oneAdd.count() / 1000 << " ms here); " << killed << " killed before they ended, " << saved.size()
         << " printed an id");
    CHECK(partial == 0);
    REQUIRE(fs::exists(store));
    auto ds = openVector(store);
    OGRLayer *layer = ds->GetLayerByName("annotations");
    REQUIRE(layer);
    std::map<std::int64_t, std::string> stored;
    for (const auto &f : allFeatures(*layer))
        stored[f->GetFieldAsInteger64("id")] = str(*f, "label");
    for (const auto &[id, label] : saved) {
        INFO("annotation " << id << " ('" << label << "') printed as saved");
        REQUIRE(stored.count(id) == 1);
        CHECK(stored[id] == label);
    }
    // The test means something only if some runs were cut short and some were not.
    CHECK(killed > 0);
    CHECK(!saved.empty());
}
