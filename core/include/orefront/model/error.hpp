#pragma once
// Core error types. Each maps to a CLI exit code (cli::ExitCode in orefront/cli/analyze.hpp).
#include <stdexcept>
#include <string>

namespace orefront {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// A bad command line: an option's value that CLI11 cannot check (an empty or non-numeric
// --rings, a negative --standoff). Exit code 1.
struct UsageError : Error {
    using Error::Error;
};
// Bad user input: a missing or malformed file, layer, field or feature. Exit code 2.
// The message names the file, the layer and the feature.
struct InputError : Error {
    using Error::Error;
};
// A GEOS/PROJ failure on data that passed validation. Exit code 3.
struct GeometryError : Error {
    using Error::Error;
};
// Writing output failed (disk, permissions, driver). Exit code 4.
struct OutputError : Error {
    using Error::Error;
};

} // namespace orefront
