#pragma once
// Inspector: everything about the selected deposit: its attributes, measurements and each
// rule's pass/fail with the threshold it was held to.
#include "annotation_document.hpp"
#include "map_document.hpp"

#include <string>

namespace orefront::viewer {

struct InspectorWindow {
    // `notes`, if given: the deposit's note, editable (saved as `author` when the field is left).
    void Draw(const char *title, bool *p_open, const MapDocument &doc, int selected,
              AnnotationDocument *notes = nullptr, const std::string &author = {});

private:
    void drawNote(AnnotationDocument &notes, const std::string &deposit, const std::string &author);
    std::string m_noteFor; // the deposit whose note m_note holds
    char m_note[2048] = "";
    bool m_typing = false;
};

} // namespace orefront::viewer
