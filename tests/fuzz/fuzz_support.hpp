#pragma once
// Shared by the libFuzzer targets in tests/fuzz/: a scratch directory of this process (under
// the system temporary directory, removed at exit) and a byte-exact file writer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace orefront::fuzz {

namespace fs = std::filesystem;

// A directory of this process only, so that two fuzzers (or ctest -j) never share files.
inline const fs::path &scratchDir() {
    struct Dir {
        fs::path path;
        Dir() {
            path = fs::temp_directory_path() / ("orefront-fuzz-" + std::to_string(::getpid()));
            fs::create_directories(path);
        }
        ~Dir() {
            std::error_code ec;
            fs::remove_all(path, ec);
        }
    };
    static const Dir dir;
    return dir.path;
}

inline void writeFile(const fs::path &path, const uint8_t *data, std::size_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
    if (!out)
        std::abort(); // the harness itself failed, not the code under test
}

} // namespace orefront::fuzz
