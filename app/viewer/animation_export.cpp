#include "animation_export.hpp"

#include "map_image.hpp"
#include "map_scene.hpp"
#include "view_fit.hpp"

#include "orefront/model/error.hpp"

#include <chrono>

namespace orefront::viewer {

AnimationExport::AnimationExport(const AnimationExportRequest &request, std::vector<model::Date> dates)
    : m_request(request), m_dates(std::move(dates)),
      m_writer(request.path, request.width, request.height, request.range.fps) {
    m_camera.width = request.width;
    m_camera.height = request.height;
}

void AnimationExport::setFrames(std::vector<Frame> frames) {
    if (frames.size() != m_dates.size() || frames.empty())
        throw InputError("animation " + m_request.path + ": " + std::to_string(frames.size()) +
                         " frames prepared for " + std::to_string(m_dates.size()) + " dates");
    m_frames = std::move(frames);
    // The whole theatre of the first date, as `orefront render` frames it.
    m_camera.fit(theatreBounds(*m_frames.front().snapshot), 0.0);
}

bool AnimationExport::step(MapRenderer &renderer, MapImageComposer &composer, const MapLayer *basemap,
                           const OverlayOptions &overlay, double budgetSeconds) {
    if (m_finished)
        return true;
    const auto start = std::chrono::steady_clock::now();
    while (m_next < int(m_frames.size())) {
        const Frame &f = m_frames[std::size_t(m_next)];
        MapDocument doc;
        showAnimationFrame(doc, basemap, *f.snapshot, f.date, f.rings,
                           f.rules ? std::optional(*f.rules) : std::nullopt);
        const Image image = composer.compose(renderer, doc, m_camera, MapStyle{}, overlay);
        m_writer.addFrame(image.rgba.data());
        ++m_next;
        if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= budgetSeconds)
            break;
    }
    if (m_next < int(m_frames.size()))
        return false;
    m_writer.finish();
    m_finished = true;
    return true;
}

} // namespace orefront::viewer
