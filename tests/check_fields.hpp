#pragma once
// Field-by-field equality of two values of one struct, each field its own Catch CHECK (so a
// failure shows the field's two values): what a round trip (a store, a saved scenario) must keep.
#include <catch2/catch.hpp>

namespace orefront::testing {

// CHECK(a.*f == b.*f) for each member pointer f of `fields`.
template <class T, class... M> void checkSameFields(const T &a, const T &b, M T::*...fields) {
    ([&] { CHECK(a.*fields == b.*fields); }(), ...);
}

} // namespace orefront::testing
