#include "ui/annotations_window.hpp"

#include "annotation_shapes.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

namespace orefront::viewer {

namespace {

using Tool = AnnotationEditor::Tool;

ImVec4 toVec(model::Rgba c) {
    return {c.r / 255.f, c.g / 255.f, c.b / 255.f, c.a / 255.f};
}
model::Rgba fromVec(const ImVec4 &v) {
    const auto b = [](float f) { return std::uint8_t(std::clamp(f, 0.0f, 1.0f) * 255.0f + 0.5f); };
    return {b(v.x), b(v.y), b(v.z), b(v.w)};
}

// Whether the kind can count as hostile: points, lines and areas (not text or a measurement).
// A hypothetical front is a what-if of its own (the What-if panel), never a hostile mark.
bool canBeHostile(model::AnnotationKind k) {
    return k != model::AnnotationKind::Text && k != model::AnnotationKind::Measurement &&
           k != model::AnnotationKind::HypotheticalFront;
}

// A text field over a std::string (imgui_stdlib is not vendored); true when it was left edited.
bool inputLeftEdited(const char *label, std::string &value) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%s", value.c_str());
    if (ImGui::InputText(label, buf, sizeof buf))
        value = buf;
    return ImGui::IsItemDeactivatedAfterEdit();
}

} // namespace

void AnnotationsWindow::drawToolbar(AnnotationDocument &doc, AnnotationEditor &editor) {
    static const Tool kTools[] = {Tool::Select,      Tool::Marker,      Tool::Text,
                                  Tool::Arrow,       Tool::Line,        Tool::Area,
                                  Tool::RangeCircle, Tool::Measurement, Tool::HypotheticalFront};
    for (Tool t : kTools) {
        const auto kind = AnnotationEditor::kindOf(t);
        const char *name = kind ? annotationKindTitle(*kind) : "Select";
        const bool on = editor.tool() == t;
        if (on)
            ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        if (ImGui::SmallButton(name))
            editor.setTool(t);
        if (on)
            ImGui::PopStyleColor();
        ImGui::SameLine();
        if (ImGui::GetContentRegionAvail().x < 70)
            ImGui::NewLine();
    }
    ImGui::NewLine();
    ImGui::BeginDisabled(!doc.canUndo());
    if (ImGui::SmallButton("Undo"))
        doc.undo();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!doc.canRedo());
    if (ImGui::SmallButton("Redo"))
        doc.redo();
    ImGui::EndDisabled();
    if (editor.tool() == Tool::RangeCircle) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(90);
        ImGui::InputDouble("km (click)", &editor.m_radiusKm, 0, 0, "%.1f");
        editor.m_radiusKm = std::max(editor.m_radiusKm, 0.1);
    } else if (editor.tool() == Tool::Measurement) {
        ImGui::SameLine();
        ImGui::Checkbox("area", &editor.m_measureArea);
    }
    if (editor.drawing())
        ImGui::TextDisabled("Click to add points; double-click or Enter to finish, Esc to cancel.");
    else if (editor.tool() != Tool::Select)
        ImGui::TextDisabled(editor.tool() == Tool::RangeCircle ? "Press at the centre, drag to the radius."
                                                               : "Click on the map. Shift snaps.");
}

void AnnotationsWindow::drawConflict(AnnotationDocument &doc) {
    const auto &c = doc.conflict();
    if (!c)
        return;
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(190, 80, 0, 255));
    ImGui::TextWrapped("Another process changed \"%s\" since it was read. Keep one version:",
                       c->theirs.label.c_str());
    ImGui::PopStyleColor();
    ImGui::BulletText("theirs: \"%s\" by %s, %s", c->theirs.label.c_str(), c->theirs.author.c_str(),
                      c->theirs.modifiedUtc.c_str());
    ImGui::BulletText("mine:   \"%s\" by %s", c->mine.label.c_str(), c->mine.author.c_str());
    if (ImGui::SmallButton("Keep mine"))
        doc.keepMine();
    ImGui::SameLine();
    if (ImGui::SmallButton("Keep theirs"))
        doc.keepTheirs();
    ImGui::Separator();
}

void AnnotationsWindow::drawSelected(AnnotationDocument &doc, AnnotationEditor &editor) {
    const model::Annotation *sel = doc.find(editor.selected());
    if (!sel) {
        ImGui::TextDisabled("Select an annotation on the map or in the list to edit it.");
        m_editing = 0;
        return;
    }
    model::Annotation a = *sel;
    if (m_editing != a.id) {
        m_editing = a.id;
        m_label = a.label;
        m_group = a.group;
        m_author = a.author;
    }
    bool changed = false;
    ImGui::Text("%s #%lld", annotationKindTitle(a.kind), static_cast<long long>(a.id));
    ImGui::SameLine();
    ImGui::TextDisabled("by %s, %s", a.author.c_str(), a.modifiedUtc.c_str());
    // Text fields commit once, when left (one edit, one undo step), not per keystroke.
    if (inputLeftEdited("Label", m_label)) {
        a.label = m_label;
        changed = true;
    }
    if (inputLeftEdited("Group", m_group) && !m_group.empty()) {
        a.group = m_group;
        changed = true;
    }
    if (inputLeftEdited("Author", m_author)) {
        a.author = m_author;
        changed = true;
    }
    ImVec4 stroke = toVec(a.style.stroke), fill = toVec(a.style.fill);
    if (ImGui::ColorEdit4("Colour", &stroke.x, ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_AlphaBar))
        a.style.stroke = fromVec(stroke);
    changed |= ImGui::IsItemDeactivatedAfterEdit();
    ImGui::SameLine();
    if (ImGui::ColorEdit4("Fill", &fill.x, ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_AlphaBar))
        a.style.fill = fromVec(fill);
    changed |= ImGui::IsItemDeactivatedAfterEdit();
    ImGui::SetNextItemWidth(120);
    ImGui::SliderFloat("Width px", &a.style.widthPx, 1.0f, 12.0f, "%.1f");
    changed |= ImGui::IsItemDeactivatedAfterEdit();
    ImGui::SetNextItemWidth(120);
    ImGui::SliderFloat("Text pt", &a.style.textSizePt, 6.0f, 32.0f, "%.0f");
    changed |= ImGui::IsItemDeactivatedAfterEdit();
    if (a.kind == model::AnnotationKind::RangeCircle) {
        ImGui::SetNextItemWidth(120);
        ImGui::InputDouble("Radius km", &a.radiusKm, 0, 0, "%.1f");
        a.radiusKm = std::max(a.radiusKm, 0.1);
        changed |= ImGui::IsItemDeactivatedAfterEdit();
    }
    if (a.kind == model::AnnotationKind::Measurement)
        ImGui::TextWrapped("%s", measurementText(a).c_str());
    changed |= ImGui::Checkbox("Visible", &a.visible);
    if (canBeHostile(a.kind)) {
        ImGui::SameLine();
        changed |= ImGui::Checkbox("Counts as hostile", &a.countsAsHostile);
        ImGui::SetItemTooltip("A what-if: joins the hostile positions the rings and verdicts measure from, "
                              "until it is folded into a scenario layer.");
    }
    if (changed)
        doc.update(a);
    if (ImGui::SmallButton("Delete"))
        editor.deleteSelected(doc);
}

void AnnotationsWindow::Draw(const char *title, bool *p_open, AnnotationDocument &doc,
                             AnnotationEditor &editor, const std::string &storeStatus, bool storeOk,
                             const std::function<void()> &chooseStore,
                             const std::vector<std::string> &whatIfChanges) {
    if (!ImGui::Begin(title, p_open)) {
        ImGui::End();
        return;
    }
    drawToolbar(doc, editor);
    ImGui::Separator();
    if (ImGui::SmallButton("Store..."))
        chooseStore();
    ImGui::SetItemTooltip("Choose where annotations are kept (File > Annotation store...)");
    ImGui::SameLine();
    // Wrapped: the reason a store is not used is what the analyst must read.
    ImGui::PushStyleColor(ImGuiCol_Text, storeOk ? ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled)
                                                 : ImVec4(0.75f, 0.35f, 0.0f, 1.0f));
    ImGui::TextWrapped("%s", storeStatus.c_str());
    ImGui::PopStyleColor();
    if (!doc.lastError().empty())
        ImGui::TextColored({0.75f, 0.2f, 0.1f, 1.0f}, "%s", doc.lastError().c_str());
    drawConflict(doc);

    const auto groups = doc.groups();
    if (!groups.empty()) {
        ImGui::TextDisabled("Groups:");
        for (const auto &g : groups) {
            ImGui::SameLine();
            bool on = doc.groupVisible(g);
            if (ImGui::Checkbox(g.c_str(), &on))
                doc.setGroupVisible(g, on);
        }
    }
    if (!whatIfChanges.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.35f, 0.0f, 1.0f));
        ImGui::TextWrapped("What-if: the hostile markings change %zu verdict%s:", whatIfChanges.size(),
                           whatIfChanges.size() == 1 ? "" : "s");
        ImGui::PopStyleColor();
        for (const auto &c : whatIfChanges) {
            ImGui::Bullet();
            ImGui::TextWrapped("%s", c.c_str());
        }
    }
    const float listHeight = std::max(80.0f, ImGui::GetContentRegionAvail().y * 0.4f);
    if (ImGui::BeginTable("annotations", 3,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV,
                          {0, listHeight})) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Kind", ImGuiTableColumnFlags_WidthFixed, 80);
        ImGui::TableSetupColumn("Label", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("Group", ImGuiTableColumnFlags_WidthFixed, 80);
        ImGui::TableHeadersRow();
        for (const auto &a : doc.annotations()) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(int(a.id));
            if (!doc.shown(a))
                ImGui::BeginDisabled();
            if (ImGui::Selectable(annotationKindTitle(a.kind), editor.selected() == a.id,
                                  ImGuiSelectableFlags_SpanAllColumns))
                editor.select(a.id);
            ImGui::TableNextColumn();
            ImGui::Text("%s%s", a.label.c_str(), a.countsAsHostile ? "  [hostile]" : "");
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(a.group.c_str());
            if (!doc.shown(a))
                ImGui::EndDisabled();
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    ImGui::Separator();
    drawSelected(doc, editor);
    ImGui::End();
}

} // namespace orefront::viewer
