#include "ui/search_box.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cctype>

namespace orefront::viewer {

namespace {
std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}
} // namespace

std::vector<int> searchDeposits(const rules::Report &report, const std::string &needle, std::size_t limit) {
    std::vector<int> out;
    if (needle.empty())
        return out;
    const std::string n = lower(needle);
    std::vector<std::pair<int, int>> hits; // (0 = prefix, 1 = inside), index
    for (std::size_t i = 0; i < report.deposits.size(); ++i) {
        const std::string name = lower(report.deposits[i].name);
        const auto at = name.find(n);
        if (at != std::string::npos)
            hits.emplace_back(at == 0 ? 0 : 1, int(i));
    }
    std::sort(hits.begin(), hits.end(), [&](const auto &a, const auto &b) {
        if (a.first != b.first)
            return a.first < b.first;
        const auto &x = report.deposits[std::size_t(a.second)].name,
                   &y = report.deposits[std::size_t(b.second)].name;
        return x != y ? x < y : a.second < b.second;
    });
    for (std::size_t k = 0; k < hits.size() && k < limit; ++k)
        out.push_back(hits[k].second);
    return out;
}

void SearchBox::Draw(const MapDocument &doc, float width, const std::function<void(int)> &onPick) {
    if (m_focusRequested) {
        ImGui::SetKeyboardFocusHere();
        m_focusRequested = false;
    }
    ImGui::SetNextItemWidth(width);
    const bool enter = ImGui::InputTextWithHint("##find", "Find a deposit (Ctrl+F)", m_text, sizeof m_text,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    const bool active = ImGui::IsItemActive();
    const ImVec2 below{ImGui::GetItemRectMin().x, ImGui::GetItemRectMax().y};
    if (doc.reportGeneration() != m_generation || m_searched != m_text) {
        m_matches = searchDeposits(doc.report(), m_text, 12);
        m_generation = doc.reportGeneration();
        m_searched = m_text;
    }
    if (enter && !m_matches.empty()) {
        onPick(m_matches.front());
        m_text[0] = 0;
        return;
    }
    // The results: a plain undecorated window under the box, shown while the box is being
    // typed in or the list is under the mouse (a click on a row first leaves the box).
    if (!m_text[0] || !(active || m_listHovered)) {
        m_listHovered = false;
        return;
    }
    ImGui::SetNextWindowPos(below);
    ImGui::SetNextWindowSizeConstraints({width, 0}, {width * 2, 400});
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoDocking | ImGuiWindowFlags_NoNav;
    ImGui::Begin("##findresults", nullptr, flags);
    ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
    m_listHovered = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem);
    if (m_matches.empty())
        ImGui::TextDisabled("no deposit named like '%s'", m_text);
    for (int i : m_matches) {
        const auto &d = doc.report().deposits[std::size_t(i)];
        ImGui::PushID(i);
        const Rgba c = verdictColour(d.verdict);
        ImGui::TextColored(ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, 1), "\xE2\x80\xA2");
        ImGui::SameLine();
        if (ImGui::Selectable(d.name.c_str())) {
            onPick(i);
            m_text[0] = 0;
            m_listHovered = false;
        }
        ImGui::SameLine();
        ImGui::TextDisabled("%s", d.country.c_str());
        ImGui::PopID();
    }
    ImGui::End();
}

} // namespace orefront::viewer
