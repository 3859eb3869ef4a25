// The GDAL annotation store: a GeoPackage (or any writable GDAL vector source with
// transactions) holding the layer `annotations`, the table `deposit_notes` and a small table
// `orefront_meta` (revision counter, next id).
//
// Kill safety. Each call opens the dataset, does its work in one transaction and closes it, so
// no state lives between calls and no lock is held while the UI waits. The GeoPackage is in WAL
// mode (set once, when the store is created; it is a property of the file). Why not SQLite's
// default rollback journal: a kill -9 during a commit leaves a hot journal, and until a process
// with write access rolls it back, every read-only open fails ("attempt to write a readonly
// database": ogrinfo, QGIS opening it read-only). With WAL, a kill leaves a -wal file that any
// reader, read-only included, reads past its last committed frame: the file always opens, with
// every committed change and none of the uncommitted one. Because each call closes its
// connection, SQLite checkpoints the WAL into the .gpkg and deletes it at every close, so
// between calls the .gpkg alone (copied, mailed) holds every saved change; only right after a
// kill does the last commit wait in the -wal until the next open. A new store is built in a
// temporary file and linked into place only when complete, so a kill during creation never
// leaves a half-made GeoPackage at the store's path.
#include "orefront/io/annotation_store.hpp"

#include "annotation_ogr.hpp"
#include "annotation_store_pg.hpp"
#include "gdal_util.hpp"
#include "orefront/io/scenario_io.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>

namespace orefront::io {

namespace fs = std::filesystem;

namespace {

std::string lowerExt(const std::string &path) {
    std::string e = fs::path(path).extension().string();
    for (auto &c : e)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return e;
}

bool isSqliteDriver(GDALDataset &ds) {
    const char *name = ds.GetDriver() ? ds.GetDriver()->GetDescription() : "";
    return std::strcmp(name, "GPKG") == 0 || std::strcmp(name, "SQLite") == 0;
}

class GdalAnnotationStore final : public AnnotationStore {
public:
    GdalAnnotationStore(std::string source, bool create) : m_source(std::move(source)) {
        m_describe = "annotation store '" + redactSource(m_source) + "'";
        const bool isFile = m_source.rfind("/vsi", 0) != 0 && m_source.find(':') == std::string::npos;
        if (isFile && !fs::exists(m_source)) {
            if (!create)
                throw InputError(m_describe + " does not exist");
            createFile();
        }
        if (isFile) {
            const fs::path dir = fs::absolute(m_source).parent_path();
            // The rollback journal is created beside the file: the directory must be writable too.
            m_readOnly = ::access(m_source.c_str(), W_OK) != 0 || ::access(dir.c_str(), W_OK) != 0;
        }
        auto ds = open(!m_readOnly, /*mayFail=*/true);
        if (!ds) {
            m_readOnly = true;
            ds = open(false, false);
        }
        if (!m_readOnly)
            ensureSchema(*ds);
    }

    std::string describe() const override { return m_describe; }
    bool readOnly() const override { return m_readOnly; }

    model::AnnotationSet load() override {
        auto ds = open(false, false);
        model::AnnotationSet set;
        if (OGRLayer *l = ds->GetLayerByName(detail::kAnnotationsLayer)) {
            l->ResetReading();
            for (auto &f : *l)
                set.annotations.push_back(detail::annotationFromFeature(*f, where(l)));
        }
        if (OGRLayer *l = ds->GetLayerByName(detail::kNotesLayer)) {
            l->ResetReading();
            for (auto &f : *l)
                set.notes.push_back(detail::noteFromFeature(*f));
        }
        return set;
    }

    std::string revision() override {
        std::string out;
        {
            auto ds = open(false, false);
            out = std::to_string(readMeta(*ds, "revision"));
        }
        struct stat st {};
        if (::stat(m_source.c_str(), &st) == 0)
            out += ":" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + ":" +
                   std::to_string(st.st_size);
        return out;
    }

    model::Annotation add(const model::Annotation &in) override {
        checkValid(in);
        return transact([&](GDALDataset &ds) { return insert(ds, in); });
    }

    model::AnnotationSet addAll(const model::AnnotationSet &in) override {
        checkWritable();
        return transact([&](GDALDataset &ds) {
            model::AnnotationSet out;
            for (std::size_t i = 0; i < in.annotations.size(); ++i) {
                // Checked row by row inside the transaction: a bad one rolls back those before it.
                const model::Annotation &a = in.annotations[i];
                if (const std::string problem = model::annotationProblem(a); !problem.empty())
                    throw InputError(m_describe + ": annotation " + std::to_string(i + 1) + " of " +
                                     std::to_string(in.annotations.size()) + " (id " + std::to_string(a.id) +
                                     ", '" + a.label + "'): " + problem + "; nothing was imported");
                out.annotations.push_back(insert(ds, a));
            }
            for (const auto &n : in.notes)
                out.notes.push_back(writeNote(ds, n, /*anyVersion=*/true));
            return out;
        });
    }

    model::Annotation update(const model::Annotation &in) override {
        checkValid(in);
        return transact([&](GDALDataset &ds) {
            OGRLayer *l = layer(ds, detail::kAnnotationsLayer);
            auto f = findById(*l, in.id);
            if (!f)
                throw InputError(m_describe + ": annotation " + std::to_string(in.id) + " ('" + in.label +
                                 "') is no longer there (another user removed it)");
            const model::Annotation theirs = detail::annotationFromFeature(*f, where(l));
            if (theirs.version != in.version)
                throw StaleWriteError(m_describe + ": annotation " + std::to_string(in.id) + " ('" +
                                          theirs.label + "') was changed by " + theirs.author + " at " +
                                          theirs.modifiedUtc + " (version " + std::to_string(theirs.version) +
                                          ") after this copy (version " + std::to_string(in.version) +
                                          ") was read; reload it",
                                      in, theirs);
            model::Annotation a = in;
            a.version = theirs.version + 1;
            a.createdUtc = theirs.createdUtc;
            a.modifiedUtc = model::nowUtcIso();
            detail::annotationToFeature(a, *f);
            if (l->SetFeature(f.get()) != OGRERR_NONE)
                throw OutputError(where(l) + ": cannot update annotation " + std::to_string(a.id) + ": " +
                                  CPLGetLastErrorMsg());
            return a;
        });
    }

    bool remove(std::int64_t id) override {
        checkWritable();
        return transact([&](GDALDataset &ds) {
            OGRLayer *l = layer(ds, detail::kAnnotationsLayer);
            auto f = findById(*l, id);
            if (!f)
                return false;
            if (l->DeleteFeature(f->GetFID()) != OGRERR_NONE)
                throw OutputError(where(l) + ": cannot remove annotation " + std::to_string(id) + ": " +
                                  CPLGetLastErrorMsg());
            return true;
        });
    }

    model::DepositNote putNote(const model::DepositNote &in) override {
        checkWritable();
        return transact([&](GDALDataset &ds) { return writeNote(ds, in, false); });
    }

private:
    std::string m_source;
    std::string m_describe;
    bool m_readOnly = false;

    std::string where(OGRLayer *l) const { return m_describe + ", layer '" + l->GetName() + "'"; }

    // add()'s row, inside a transaction: the next id, version 1, the times.
    model::Annotation insert(GDALDataset &ds, const model::Annotation &in) const {
        model::Annotation a = in;
        a.id = readMeta(ds, "next_id");
        writeMeta(ds, "next_id", a.id + 1);
        a.version = 1;
        if (a.author.empty())
            a.author = model::currentUser();
        a.modifiedUtc = model::nowUtcIso();
        if (a.createdUtc.empty()) // an import keeps the time the annotation was made
            a.createdUtc = a.modifiedUtc;
        OGRLayer *l = layer(ds, detail::kAnnotationsLayer);
        OGRFeature f(l->GetLayerDefn());
        detail::annotationToFeature(a, f);
        if (l->CreateFeature(&f) != OGRERR_NONE)
            throw OutputError(where(l) + ": cannot add annotation '" + a.label +
                              "': " + CPLGetLastErrorMsg());
        return a;
    }

    // putNote()'s write, inside a transaction; `anyVersion` (an import) replaces whatever
    // version is stored instead of refusing a stale one.
    model::DepositNote writeNote(GDALDataset &ds, const model::DepositNote &in, bool anyVersion) const {
        if (in.deposit.empty())
            throw InputError(m_describe + ": a deposit note needs the deposit's name");
        OGRLayer *l = layer(ds, detail::kNotesLayer);
        OGRFeatureUniquePtr found;
        l->SetAttributeFilter(nullptr);
        l->ResetReading();
        for (auto &f : *l)
            if (detail::noteFromFeature(*f).deposit == in.deposit) {
                found.reset(f.release());
                break;
            }
        const std::int64_t stored = found ? detail::noteFromFeature(*found).version : 0;
        if (stored != in.version && !anyVersion)
            throw StaleWriteError(m_describe + ": the note on '" + in.deposit + "' was changed (version " +
                                      std::to_string(stored) + ") after this copy (version " +
                                      std::to_string(in.version) + ") was read; reload it",
                                  {}, {});
        model::DepositNote n = in;
        n.version = stored + 1;
        n.modifiedUtc = model::nowUtcIso();
        if (n.author.empty())
            n.author = model::currentUser();
        if (n.text.empty()) {
            if (found && l->DeleteFeature(found->GetFID()) != OGRERR_NONE)
                throw OutputError(where(l) + ": cannot remove the note on '" + in.deposit + "'");
            return n;
        }
        OGRFeatureUniquePtr f =
            found ? std::move(found) : OGRFeatureUniquePtr(new OGRFeature(l->GetLayerDefn()));
        detail::noteToFeature(n, *f);
        const OGRErr err = f->GetFID() == OGRNullFID ? l->CreateFeature(f.get()) : l->SetFeature(f.get());
        if (err != OGRERR_NONE)
            throw OutputError(where(l) + ": cannot write the note on '" + in.deposit +
                              "': " + CPLGetLastErrorMsg());
        return n;
    }

    GDALDatasetUniquePtr open(bool update, bool mayFail) const {
        detail::QuietGdalErrors quiet;
        GDALDatasetUniquePtr ds(
            GDALDataset::Open(m_source.c_str(), GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY),
                              nullptr, nullptr, nullptr));
        if (!ds && !mayFail)
            throw InputError(m_describe + " cannot be opened: " + quiet.last());
        if (ds && update && isSqliteDriver(*ds)) {
            // Another process may be mid-commit: wait for its lock rather than fail at once.
            ds->ReleaseResultSet(ds->ExecuteSQL("PRAGMA busy_timeout = 10000", nullptr, nullptr));
        }
        return ds;
    }

    void checkWritable() const {
        if (m_readOnly)
            throw InputError(m_describe + " is read-only; the change was not saved (choose another store: " +
                             "--store FILE.gpkg)");
    }

    void checkValid(const model::Annotation &a) const {
        checkWritable();
        if (const std::string problem = model::annotationProblem(a); !problem.empty())
            throw InputError(m_describe + ": annotation '" + a.label + "': " + problem);
    }

    OGRLayer *layer(GDALDataset &ds, const char *name) const {
        OGRLayer *l = ds.GetLayerByName(name);
        if (!l)
            throw InputError(m_describe + " has no layer '" + name + "'");
        return l;
    }

    static OGRFeatureUniquePtr findById(OGRLayer &l, std::int64_t id) {
        l.SetAttributeFilter(("id = " + std::to_string(id)).c_str());
        l.ResetReading();
        OGRFeatureUniquePtr f(l.GetNextFeature());
        l.SetAttributeFilter(nullptr);
        return f;
    }

    std::int64_t readMeta(GDALDataset &ds, const char *key) const {
        OGRLayer *l = ds.GetLayerByName(detail::kMetaLayer);
        if (!l)
            return std::strcmp(key, "next_id") == 0 ? 1 : 0;
        l->ResetReading();
        for (auto &f : *l)
            if (std::strcmp(f->GetFieldAsString("key"), key) == 0)
                return f->GetFieldAsInteger64("value");
        return std::strcmp(key, "next_id") == 0 ? 1 : 0;
    }

    void writeMeta(GDALDataset &ds, const char *key, std::int64_t value) const {
        OGRLayer *l = layer(ds, detail::kMetaLayer);
        l->ResetReading();
        OGRFeatureUniquePtr found;
        for (auto &f : *l)
            if (std::strcmp(f->GetFieldAsString("key"), key) == 0) {
                found.reset(f.release());
                break;
            }
        OGRFeatureUniquePtr f =
            found ? std::move(found) : OGRFeatureUniquePtr(new OGRFeature(l->GetLayerDefn()));
        f->SetField("key", key);
        f->SetField("value", static_cast<GIntBig>(value));
        const OGRErr err = f->GetFID() == OGRNullFID ? l->CreateFeature(f.get()) : l->SetFeature(f.get());
        if (err != OGRERR_NONE)
            throw OutputError(where(l) + ": cannot write '" + key + "': " + CPLGetLastErrorMsg());
    }

    // One transaction around `fn`: the revision is bumped first (for SQLite, the first statement
    // is a write, so the write lock is taken at once, waiting on busy_timeout, rather than
    // upgraded later from a read lock, which SQLite may refuse without waiting); `fn` runs; the
    // commit makes it durable. Any exception rolls everything back.
    template <typename Fn> std::invoke_result_t<Fn &, GDALDataset &> transact(Fn &&fn) {
        detail::QuietGdalErrors quiet;
        auto ds = open(true, false);
        if (ds->StartTransaction(FALSE) != OGRERR_NONE)
            throw OutputError(m_describe + ": the driver " + ds->GetDriver()->GetDescription() +
                              " has no transactions; use a GeoPackage (.gpkg) as the store");
        try {
            writeMeta(*ds, "revision", readMeta(*ds, "revision") + 1);
            auto result = fn(*ds);
            if (ds->CommitTransaction() != OGRERR_NONE)
                throw OutputError(m_describe + ": commit failed: " + quiet.last());
            return result;
        } catch (...) {
            ds->RollbackTransaction();
            throw;
        }
    }

    void ensureSchema(GDALDataset &ds) const {
        const bool missing = !ds.GetLayerByName(detail::kAnnotationsLayer) ||
                             !ds.GetLayerByName(detail::kNotesLayer) ||
                             !ds.GetLayerByName(detail::kMetaLayer);
        if (!missing) {
            // An older store may lack fields added since; adding them is its own transaction.
            OGRLayer *a = ds.GetLayerByName(detail::kAnnotationsLayer);
            OGRLayer *n = ds.GetLayerByName(detail::kNotesLayer);
            detail::ensureAnnotationFields(*a, where(a));
            detail::ensureNoteFields(*n, where(n));
            return;
        }
        const bool txn = ds.StartTransaction(FALSE) == OGRERR_NONE;
        try {
            createSchema(ds);
            if (txn && ds.CommitTransaction() != OGRERR_NONE)
                throw OutputError(m_describe + ": cannot commit the new layers: " + CPLGetLastErrorMsg());
        } catch (...) {
            if (txn)
                ds.RollbackTransaction();
            throw;
        }
    }

    void createSchema(GDALDataset &ds) const {
        char **noIndex = CSLSetNameValue(nullptr, "SPATIAL_INDEX", "NO");
        if (!ds.GetLayerByName(detail::kAnnotationsLayer)) {
            OGRSpatialReference wgs84;
            wgs84.SetWellKnownGeogCS("WGS84");
            wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            OGRLayer *l = ds.CreateLayer(detail::kAnnotationsLayer, &wgs84, wkbUnknown, noIndex);
            if (!l) {
                CSLDestroy(noIndex);
                throw OutputError(m_describe +
                                  ": cannot create layer 'annotations': " + CPLGetLastErrorMsg());
            }
            detail::ensureAnnotationFields(*l, where(l));
        }
        CSLDestroy(noIndex);
        if (!ds.GetLayerByName(detail::kNotesLayer)) {
            OGRLayer *l = ds.CreateLayer(detail::kNotesLayer, nullptr, wkbNone, nullptr);
            if (!l)
                throw OutputError(m_describe +
                                  ": cannot create table 'deposit_notes': " + CPLGetLastErrorMsg());
            detail::ensureNoteFields(*l, where(l));
        }
        if (!ds.GetLayerByName(detail::kMetaLayer)) {
            OGRLayer *l = ds.CreateLayer(detail::kMetaLayer, nullptr, wkbNone, nullptr);
            if (!l)
                throw OutputError(m_describe +
                                  ": cannot create table 'orefront_meta': " + CPLGetLastErrorMsg());
            OGRFieldDefn key("key", OFTString), value("value", OFTInteger64);
            if (l->CreateField(&key) != OGRERR_NONE || l->CreateField(&value) != OGRERR_NONE)
                throw OutputError(where(l) + ": cannot add fields: " + CPLGetLastErrorMsg());
            // A GeoPackage written by `annotations export` has annotations but no counters yet.
            std::int64_t maxId = 0;
            if (OGRLayer *a = ds.GetLayerByName(detail::kAnnotationsLayer)) {
                a->ResetReading();
                for (auto &f : *a)
                    maxId = std::max<std::int64_t>(maxId, f->GetFieldAsInteger64("id"));
            }
            writeMeta(ds, "revision", 0);
            writeMeta(ds, "next_id", maxId + 1);
        }
    }

    // A new GeoPackage, complete before it appears at m_source (see the top of the file).
    void createFile() const {
        const fs::path target = fs::absolute(m_source);
        if (!fs::is_directory(target.parent_path()))
            throw InputError(m_describe + ": directory '" + target.parent_path().string() +
                             "' does not exist");
        const std::string ext = lowerExt(m_source);
        if (ext != ".gpkg")
            throw InputError(m_describe + " does not exist, and a new store must be a GeoPackage (.gpkg)");
        GDALDriver *drv = GetGDALDriverManager()->GetDriverByName("GPKG");
        if (!drv)
            throw OutputError(m_describe + ": GDAL has no GPKG driver");
        const std::string tmp = target.string() + ".tmp-" + std::to_string(::getpid());
        {
            detail::QuietGdalErrors quiet;
            GDALDatasetUniquePtr ds(drv->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
            if (!ds)
                throw InputError(m_describe + " cannot be created: " + quiet.last());
            try {
                createSchema(*ds);
                ds->ReleaseResultSet(ds->ExecuteSQL("PRAGMA journal_mode = WAL", nullptr, nullptr));
            } catch (...) {
                ds.reset();
                fs::remove(tmp);
                throw;
            }
        }
        // link() fails if another process created the store meanwhile: keep theirs.
        if (::link(tmp.c_str(), target.c_str()) != 0 && errno != EEXIST) {
            const std::string why = std::strerror(errno);
            fs::remove(tmp);
            throw OutputError(m_describe + " cannot be created: " + why);
        }
        fs::remove(tmp);
    }
};

} // namespace

std::unique_ptr<AnnotationStore> openAnnotationStore(const std::string &source, bool create) {
    initGdal();
    if (source.empty())
        throw InputError("annotation store: no source given");
    if (source.rfind("PG:", 0) == 0 || source.rfind("pg:", 0) == 0)
        return detail::openPgAnnotationStore(source, create);
    return std::make_unique<GdalAnnotationStore>(source, create);
}

std::string defaultAnnotationStore(const std::string &scenarioPath, const std::string &declared) {
    const fs::path scenario = fs::absolute(scenarioPath);
    if (!declared.empty())
        return resolveSource(declared, scenario.parent_path().string());
    fs::path p = scenario;
    if (p.extension() == ".toml")
        p.replace_extension("");
    return p.string() + ".annotations.gpkg";
}

} // namespace orefront::io
