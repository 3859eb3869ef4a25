#include "annotation_ogr.hpp"

#include "orefront/model/error.hpp"

#include <ogr_featurestyle.h>

#include <cmath>
#include <cstdio>
#include <cstring>

namespace orefront::io::detail {

namespace {

struct FieldSpec {
    const char *name;
    OGRFieldType type;
    OGRFieldSubType sub = OFSTNone;
};

constexpr FieldSpec kAnnotationFields[] = {
    {"id", OFTInteger64},
    {"kind", OFTString},
    {"label", OFTString},
    {"group", OFTString},
    {"author", OFTString},
    {"created", OFTString},
    {"modified", OFTString},
    {"stroke", OFTString},
    {"fill", OFTString},
    {"width_px", OFTReal},
    {"text_size_pt", OFTReal},
    {"radius_km", OFTReal},
    {"closed", OFTInteger, OFSTBoolean},
    {"counts_as_hostile", OFTInteger, OFSTBoolean},
    {"visible", OFTInteger, OFSTBoolean},
    {"version", OFTInteger64},
};

constexpr FieldSpec kNoteFields[] = {
    {"deposit", OFTString},  {"text", OFTString},       {"author", OFTString},
    {"modified", OFTString}, {"version", OFTInteger64},
};

void ensureFields(OGRLayer &layer, const FieldSpec *begin, const FieldSpec *end, const std::string &where) {
    for (const FieldSpec *f = begin; f != end; ++f) {
        if (layer.GetLayerDefn()->GetFieldIndex(f->name) >= 0)
            continue;
        OGRFieldDefn def(f->name, f->type);
        def.SetSubType(f->sub);
        if (layer.CreateField(&def) != OGRERR_NONE)
            throw OutputError(where + ": cannot add field '" + f->name + "': " + CPLGetLastErrorMsg());
    }
}

template <typename T> void setIf(OGRFeature &f, const char *name, const T &value) {
    const int i = f.GetFieldIndex(name);
    if (i >= 0)
        f.SetField(i, value);
}

bool has(OGRFeature &f, const char *name, int *index) {
    *index = f.GetFieldIndex(name);
    return *index >= 0 && f.IsFieldSetAndNotNull(*index);
}

std::string str(OGRFeature &f, const char *name, const std::string &fallback = "") {
    int i = 0;
    return has(f, name, &i) ? std::string(f.GetFieldAsString(i)) : fallback;
}

// A time as ISO 8601 UTC: GeoJSON and KML readers may type "2026-12-01T13:45:00Z" as a
// DateTime, whose plain string form is GDAL's "2026/12/01 13:45:00+00".
std::string isoTime(OGRFeature &f, const char *name) {
    int i = 0;
    if (!has(f, name, &i))
        return "";
    const OGRFieldType t = f.GetFieldDefnRef(i)->GetType();
    if (t != OFTDateTime && t != OFTDate)
        return f.GetFieldAsString(i);
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, tz = 0;
    float sec = 0;
    f.GetFieldAsDateTime(i, &y, &mo, &d, &h, &mi, &sec, &tz);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, static_cast<int>(sec));
    return buf;
}

double real(OGRFeature &f, const char *name, double fallback) {
    int i = 0;
    return has(f, name, &i) ? f.GetFieldAsDouble(i) : fallback;
}

// Booleans arrive as integers (GPKG, GeoJSON) or as strings ("true", "1") from KML's
// ExtendedData.
bool boolean(OGRFeature &f, const char *name, bool fallback) {
    int i = 0;
    if (!has(f, name, &i))
        return fallback;
    const std::string s = f.GetFieldAsString(i);
    return s == "1" || s == "true" || s == "True" || s == "TRUE" || s == "yes";
}

std::string featureName(OGRFeature &f, const std::string &label) {
    return "feature " + std::to_string(f.GetFID()) + (label.empty() ? "" : " ('" + label + "')");
}

void appendRing(const OGRLinearRing &ring, std::vector<model::LonLat> &out) {
    for (int i = 0; i < ring.getNumPoints(); ++i)
        out.push_back({ring.getX(i), ring.getY(i)});
}

// "#rrggbbaa" from an OGR style colour (OGR writes "#rrggbb" or "#rrggbbaa").
std::optional<model::Rgba> ogrColor(const char *c) {
    return c ? model::styleColorFromHex(c) : std::nullopt;
}

// Reads PEN colour/width, BRUSH fill and LABEL size from an OGR style string (what the LIBKML
// and KML drivers make of a KML <Style>).
void styleFromOgr(const char *styleString, model::AnnotationStyle &style, bool *sawBrush) {
    if (!styleString || !*styleString)
        return;
    OGRStyleMgr mgr;
    if (!mgr.InitStyleString(styleString))
        return;
    for (int i = 0; i < mgr.GetPartCount(); ++i) {
        std::unique_ptr<OGRStyleTool> tool(mgr.GetPart(i));
        if (!tool)
            continue;
        GBool isNull = TRUE;
        switch (tool->GetType()) {
        case OGRSTCPen: {
            auto *pen = static_cast<OGRStylePen *>(tool.get());
            pen->SetUnit(OGRSTUPixel);
            if (auto c = ogrColor(pen->Color(isNull)); c && !isNull)
                style.stroke = *c;
            const double w = pen->Width(isNull);
            if (!isNull && w > 0)
                style.widthPx = static_cast<float>(w);
            break;
        }
        case OGRSTCBrush: {
            auto *brush = static_cast<OGRStyleBrush *>(tool.get());
            if (auto c = ogrColor(brush->ForeColor(isNull)); c && !isNull) {
                style.fill = *c;
                *sawBrush = true;
            }
            break;
        }
        case OGRSTCLabel: {
            auto *label = static_cast<OGRStyleLabel *>(tool.get());
            label->SetUnit(OGRSTUPoints);
            const double s = label->Size(isNull);
            if (!isNull && s > 0)
                style.textSizePt = static_cast<float>(s);
            break;
        }
        case OGRSTCSymbol: {
            auto *sym = static_cast<OGRStyleSymbol *>(tool.get());
            if (auto c = ogrColor(sym->Color(isNull)); c && !isNull)
                style.stroke = *c;
            break;
        }
        default:
            break;
        }
    }
}

} // namespace

void ensureAnnotationFields(OGRLayer &layer, const std::string &where) {
    ensureFields(layer, std::begin(kAnnotationFields), std::end(kAnnotationFields), where);
}

void ensureNoteFields(OGRLayer &layer, const std::string &where) {
    ensureFields(layer, std::begin(kNoteFields), std::end(kNoteFields), where);
}

std::unique_ptr<OGRGeometry> annotationOgrGeometry(const model::Annotation &a) {
    using K = model::AnnotationKind;
    const bool ring = a.kind == K::Area || (a.kind == K::Measurement && a.closed);
    if (a.kind == K::Marker || a.kind == K::Text || a.kind == K::RangeCircle) {
        const model::LonLat p = a.vertices.empty() ? model::LonLat{} : a.vertices.front();
        return std::make_unique<OGRPoint>(p.lon, p.lat);
    }
    if (ring) {
        auto lr = std::make_unique<OGRLinearRing>();
        for (const auto &p : a.vertices)
            lr->addPoint(p.lon, p.lat);
        if (!a.vertices.empty() && !(a.vertices.front() == a.vertices.back()))
            lr->addPoint(a.vertices.front().lon, a.vertices.front().lat);
        auto poly = std::make_unique<OGRPolygon>();
        poly->addRingDirectly(lr.release());
        return poly;
    }
    auto line = std::make_unique<OGRLineString>();
    for (const auto &p : a.vertices)
        line->addPoint(p.lon, p.lat);
    return line;
}

std::string ogrStyleString(const model::Annotation &a) {
    const std::string stroke = model::styleColorToHex(a.style.stroke);
    model::Rgba fillRgba = a.style.fill;
    std::string fill = model::styleColorToHex(fillRgba);
    if (fill.size() == 7)
        fill += "ff"; // always "#rrggbbaa": a fill's alpha is what the analyst chose
    char width[32], size[32];
    std::snprintf(width, sizeof width, "%g", a.style.widthPx);
    std::snprintf(size, sizeof size, "%g", a.style.textSizePt);
    std::string s = "PEN(c:" + stroke + ",w:" + width + "px)";
    using K = model::AnnotationKind;
    if (a.kind == K::Area || a.kind == K::RangeCircle || (a.kind == K::Measurement && a.closed))
        s += ";BRUSH(fc:" + fill + ")";
    if (a.kind == K::Marker)
        s += ";SYMBOL(id:\"http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png\",c:" + stroke +
             ")";
    s += ";LABEL(s:" + std::string(size) + "pt,c:" + stroke + ")";
    return s;
}

void annotationToFeature(const model::Annotation &a, OGRFeature &f) {
    setIf(f, "id", static_cast<GIntBig>(a.id));
    setIf(f, "kind", model::annotationKindName(a.kind));
    setIf(f, "label", a.label.c_str());
    setIf(f, "name", a.label.c_str()); // KML's <name>, where the layer has one
    setIf(f, "group", a.group.c_str());
    setIf(f, "author", a.author.c_str());
    setIf(f, "created", a.createdUtc.c_str());
    setIf(f, "modified", a.modifiedUtc.c_str());
    setIf(f, "stroke", model::styleColorToHex(a.style.stroke).c_str());
    setIf(f, "fill", model::styleColorToHex(a.style.fill).c_str());
    setIf(f, "width_px", static_cast<double>(a.style.widthPx));
    setIf(f, "text_size_pt", static_cast<double>(a.style.textSizePt));
    setIf(f, "radius_km", a.radiusKm);
    setIf(f, "closed", a.closed ? 1 : 0);
    setIf(f, "counts_as_hostile", a.countsAsHostile ? 1 : 0);
    setIf(f, "visible", a.visible ? 1 : 0);
    setIf(f, "version", static_cast<GIntBig>(a.version));
    auto geom = annotationOgrGeometry(a);
    if (const auto *srs = f.GetDefnRef()->GetGeomFieldCount() > 0
                              ? f.GetDefnRef()->GetGeomFieldDefn(0)->GetSpatialRef()
                              : nullptr)
        geom->assignSpatialReference(const_cast<OGRSpatialReference *>(srs));
    f.SetGeometryDirectly(geom.release());
    f.SetStyleString(ogrStyleString(a).c_str());
}

model::Annotation annotationFromFeature(OGRFeature &f, const std::string &where) {
    model::Annotation a;
    a.label = str(f, "label", str(f, "name"));
    const std::string what = where + ", " + featureName(f, a.label);
    int idx = 0;
    a.id = has(f, "id", &idx) ? f.GetFieldAsInteger64(idx) : 0;
    a.version = has(f, "version", &idx) ? f.GetFieldAsInteger64(idx) : 0;
    a.group = str(f, "group", "default");
    a.author = str(f, "author");
    a.createdUtc = isoTime(f, "created");
    a.modifiedUtc = isoTime(f, "modified");
    a.radiusKm = real(f, "radius_km", 0);
    a.closed = boolean(f, "closed", false);
    a.countsAsHostile = boolean(f, "counts_as_hostile", false);
    a.visible = boolean(f, "visible", true);

    const OGRGeometry *g = f.GetGeometryRef();
    if (!g || g->IsEmpty())
        throw InputError(what + ": no geometry");
    const auto type = wkbFlatten(g->getGeometryType());
    std::optional<model::AnnotationKind> fromGeometry;
    if (type == wkbPoint) {
        const auto *p = g->toPoint();
        a.vertices = {{p->getX(), p->getY()}};
        fromGeometry = model::AnnotationKind::Marker;
    } else if (type == wkbLineString) {
        const auto *l = g->toLineString();
        for (int i = 0; i < l->getNumPoints(); ++i)
            a.vertices.push_back({l->getX(i), l->getY(i)});
        fromGeometry = model::AnnotationKind::Line;
    } else if (type == wkbPolygon) {
        const auto *poly = g->toPolygon();
        if (poly->getNumInteriorRings() > 0)
            throw InputError(what + ": a polygon with holes; an area annotation is one ring");
        appendRing(*poly->getExteriorRing(), a.vertices);
        fromGeometry = model::AnnotationKind::Area;
    } else {
        throw InputError(what + ": geometry type " + OGRGeometryTypeToName(type) +
                         " (an annotation is a point, a line string or a polygon)");
    }
    const std::string kindText = str(f, "kind");
    if (kindText.empty()) {
        a.kind = *fromGeometry;
    } else if (auto k = model::annotationKindFromName(kindText)) {
        a.kind = *k;
    } else {
        throw InputError(what + ": unknown kind '" + kindText + "' (" + model::annotationKindNames() + ")");
    }
    if (a.kind == model::AnnotationKind::Measurement && type == wkbPolygon)
        a.closed = true;

    // Style: our own fields where the source has them, else its OGR style string (KML <Style>).
    bool sawBrush = false;
    if (!has(f, "stroke", &idx) && !has(f, "fill", &idx))
        styleFromOgr(f.GetStyleString(), a.style, &sawBrush);
    if (has(f, "stroke", &idx)) {
        auto c = model::styleColorFromHex(f.GetFieldAsString(idx));
        if (!c)
            throw InputError(what + ": stroke '" + f.GetFieldAsString(idx) + "' is not a #rrggbb colour");
        a.style.stroke = *c;
    }
    if (has(f, "fill", &idx)) {
        auto c = model::styleColorFromHex(f.GetFieldAsString(idx));
        if (!c)
            throw InputError(what + ": fill '" + f.GetFieldAsString(idx) + "' is not a #rrggbb colour");
        a.style.fill = *c;
    }
    a.style.widthPx = static_cast<float>(real(f, "width_px", a.style.widthPx));
    a.style.textSizePt = static_cast<float>(real(f, "text_size_pt", a.style.textSizePt));
    if (const std::string problem = model::annotationProblem(a); !problem.empty())
        throw InputError(what + ": " + problem);
    return a;
}

void noteToFeature(const model::DepositNote &n, OGRFeature &f) {
    setIf(f, "deposit", n.deposit.c_str());
    setIf(f, "text", n.text.c_str());
    setIf(f, "author", n.author.c_str());
    setIf(f, "modified", n.modifiedUtc.c_str());
    setIf(f, "version", static_cast<GIntBig>(n.version));
}

model::DepositNote noteFromFeature(OGRFeature &f) {
    model::DepositNote n;
    n.deposit = str(f, "deposit");
    n.text = str(f, "text");
    n.author = str(f, "author");
    n.modifiedUtc = isoTime(f, "modified");
    int idx = 0;
    n.version = has(f, "version", &idx) ? f.GetFieldAsInteger64(idx) : 0;
    return n;
}

} // namespace orefront::io::detail
