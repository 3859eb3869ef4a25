#pragma once
// A small scenario in a temporary directory for the whole-viewer UI tests: deposits (GeoJSON
// features), optional ports, and a hostile square (36-37 E, 47-48 N, occupied).
// Base it before test::AppFixture so that the files exist when the app opens them, and are
// removed after the app is gone.
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace orefront::viewer::test {

struct ScenarioDir {
    std::filesystem::path dir;

    // `deposits` and `ports`: the features of a GeoJSON FeatureCollection ("" = no ports layer).
    ScenarioDir(const std::string &name, const std::string &deposits, const std::string &ports = "")
        : dir(std::filesystem::temp_directory_path() /
              ("orefront-" + name + "-" + std::to_string(::getpid()))) {
        std::filesystem::create_directories(dir);
        write("deps.geojson", collection(deposits));
        std::string toml = "name = \"" + name + "\"\n\n" + layer("deposits", "deposits", "deps.geojson");
        if (!ports.empty()) {
            write("ports.geojson", collection(ports));
            toml += layer("ports", "ports", "ports.geojson");
        }
        // The CLI tests' hostile_square.geojson (tests/data/cli), written here: the viewer
        // tests' data directory is tests/viewer/data.
        write("hostile.geojson",
              collection(
                  R"({"type": "Feature", "properties": {"status": "occupied"}, "geometry": {"type": )"
                  R"("Polygon", "coordinates": [[[36, 47], [37, 47], [37, 48], [36, 48], [36, 47]]]}})"));
        toml += layer("occupied", "hostile", "hostile.geojson") +
                "status_field = \"status\"\nhostile_statuses = [\"occupied\"]\n";
        write("scenario.toml", toml);
    }
    ~ScenarioDir() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    ScenarioDir(const ScenarioDir &) = delete;
    ScenarioDir &operator=(const ScenarioDir &) = delete;

    std::string scenario() const { return (dir / "scenario.toml").string(); }
    void write(const std::string &file, const std::string &text) const { std::ofstream(dir / file) << text; }

    static std::string collection(const std::string &features) {
        return "{\"type\": \"FeatureCollection\", \"features\": [" + features + "]}\n";
    }
    // A point feature with `properties` (JSON members without braces).
    static std::string point(double lon, double lat, const std::string &properties) {
        return "{\"type\": \"Feature\", \"properties\": {" + properties +
               "}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [" + std::to_string(lon) + ", " +
               std::to_string(lat) + "]}}";
    }

private:
    static std::string layer(const std::string &id, const std::string &role, const std::string &source) {
        return "[[layers]]\nid = \"" + id + "\"\nrole = \"" + role + "\"\nsource = \"" + source + "\"\n";
    }
};

} // namespace orefront::viewer::test
