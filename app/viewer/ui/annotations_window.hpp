#pragma once
// Annotations panel: the drawing toolbar (a tool per kind, undo, redo), where the annotations
// are kept (the store, or in memory and why), the groups with their visibility, the list,
// the selected annotation's label, style, group, author and "counts as hostile", and which
// verdicts the hostile-marked annotations change (`whatIfChanges`).
#include "annotation_document.hpp"
#include "annotation_editor.hpp"

#include <functional>
#include <string>
#include <vector>

namespace orefront::viewer {

struct AnnotationsWindow {
    // `storeStatus`: where edits go ("saved to x.gpkg" or why they are held in memory);
    // `chooseStore` opens File > Annotation store...
    void Draw(const char *title, bool *p_open, AnnotationDocument &doc, AnnotationEditor &editor,
              const std::string &storeStatus, bool storeOk, const std::function<void()> &chooseStore,
              const std::vector<std::string> &whatIfChanges = {});

private:
    void drawToolbar(AnnotationDocument &doc, AnnotationEditor &editor);
    void drawSelected(AnnotationDocument &doc, AnnotationEditor &editor);
    void drawConflict(AnnotationDocument &doc);
    // The label and group being typed, committed as one edit when the field is left.
    std::int64_t m_editing = 0;
    std::string m_label, m_group, m_author;
};

} // namespace orefront::viewer
