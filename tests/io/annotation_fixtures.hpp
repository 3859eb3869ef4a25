#pragma once
// Shared by the annotation store and file tests: a temporary directory, one annotation of
// every kind, and a content comparison that ignores what a store sets (id, version, times).
#include "check_fields.hpp"
#include "orefront/model/annotation.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace orefront::testing {

namespace fs = std::filesystem;
using model::Annotation;
using model::AnnotationKind;

inline Annotation make(AnnotationKind kind, std::vector<model::LonLat> v, const std::string &label) {
    Annotation a;
    a.kind = kind;
    a.vertices = std::move(v);
    a.label = label;
    a.group = "recon";
    a.style.stroke = {10, 20, 30, 255};
    a.style.fill = {40, 50, 60, 70};
    a.style.widthPx = 3.5f;
    a.style.textSizePt = 14.0f;
    return a;
}

// One annotation of every kind, with a distinct style.
inline std::vector<Annotation> everyKind() {
    std::vector<Annotation> out;
    out.push_back(make(AnnotationKind::Marker, {{37.8, 48.0}}, "Reported HQ"));
    out.push_back(make(AnnotationKind::Text, {{36.1, 49.9}}, "Kharkiv axis: quiet since 2025-07"));
    out.push_back(make(AnnotationKind::Arrow, {{37.0, 47.5}, {37.4, 47.9}}, "Advance"));
    out.push_back(make(AnnotationKind::Line, {{35.0, 47.0}, {35.5, 47.2}, {36.0, 47.1}}, "Road"));
    out.push_back(
        make(AnnotationKind::Area, {{36, 47}, {36.5, 47}, {36.5, 47.5}, {36, 47}}, "Captured village"));
    Annotation circle = make(AnnotationKind::RangeCircle, {{38.0, 48.5}}, "Launch site reach");
    circle.radiusKm = 70;
    circle.countsAsHostile = true;
    out.push_back(circle);
    out.push_back(make(AnnotationKind::Measurement, {{30.5, 50.45}, {36.23, 49.99}}, "Kyiv-Kharkiv"));
    Annotation area = make(AnnotationKind::Measurement, {{30, 50}, {31, 50}, {31, 51}, {30, 50}}, "Field");
    area.closed = true;
    area.visible = false;
    area.style.stroke = {1, 2, 3, 128};
    out.push_back(area);
    Annotation front = make(AnnotationKind::HypotheticalFront, {{36.0, 47.4}, {37.0, 47.9}, {37.6, 49.0}},
                            "Ceasefire on the Donets");
    front.style.fill = {40, 50, 60, 0};
    out.push_back(front);
    return out;
}

// Equal apart from what the store sets (id, version, times, author when empty).
inline void checkSameContent(const Annotation &stored, const Annotation &given) {
    INFO("annotation '" << given.label << "' (" << model::annotationKindName(given.kind) << ")");
    checkSameFields(stored, given, &Annotation::kind, &Annotation::label, &Annotation::group,
                    &Annotation::radiusKm, &Annotation::closed, &Annotation::countsAsHostile,
                    &Annotation::visible, &Annotation::style);
    // Areas come back as closed rings; compare the distinct vertices.
    auto distinct = [](std::vector<model::LonLat> v) {
        if (v.size() > 1 && v.front() == v.back())
            v.pop_back();
        return v;
    };
    REQUIRE(distinct(stored.vertices).size() == distinct(given.vertices).size());
    for (std::size_t i = 0; i < distinct(given.vertices).size(); ++i) {
        CHECK(stored.vertices[i].lon == Approx(given.vertices[i].lon).margin(1e-9));
        CHECK(stored.vertices[i].lat == Approx(given.vertices[i].lat).margin(1e-9));
    }
}

} // namespace orefront::testing
