#include "ui/messages_window.hpp"

#include <imgui.h>

namespace orefront::viewer {

void MessagesWindow::Draw(const char *title, bool *p_open) {
    ImGui::SetNextWindowSize({640, 260}, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos({320, 480}, ImGuiCond_FirstUseEver);
    if (!ImGui::Begin(title, p_open)) {
        ImGui::End();
        return;
    }
    if (m_messages.empty()) {
        ImGui::TextDisabled("No warnings for the scenario shown.");
        ImGui::End();
        return;
    }
    ImGui::Text("%zu warning%s for the scenario shown, as `orefront analyze` prints them", m_messages.size(),
                m_messages.size() == 1 ? "" : "s");
    ImGui::SameLine();
    if (ImGui::SmallButton("Copy all")) {
        std::string all;
        for (const auto &m : m_messages)
            all += "warning: " + m + "\n";
        ImGui::SetClipboardText(all.c_str());
    }
    ImGui::Separator();
    ImGui::BeginChild("##messages");
    // Wrapped, so of unequal heights: no clipper. A repaired geometry is a warning per feature,
    // so a bad file can give thousands; the first kShown are drawn, Copy all has every one.
    constexpr std::size_t kShown = 500;
    for (std::size_t i = 0; i < m_messages.size() && i < kShown; ++i) {
        ImGui::Bullet();
        ImGui::TextWrapped("%s", m_messages[i].c_str());
    }
    if (m_messages.size() > kShown)
        ImGui::TextDisabled("... and %zu more (Copy all copies every one)", m_messages.size() - kShown);
    ImGui::EndChild();
    ImGui::End();
}

} // namespace orefront::viewer
