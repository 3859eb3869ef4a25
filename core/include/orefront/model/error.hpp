#pragma once
// Core error types. Each maps to a CLI exit code (cli/exit_codes in cli/commands.hpp).
#include <stdexcept>
#include <string>

namespace orefront {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
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
