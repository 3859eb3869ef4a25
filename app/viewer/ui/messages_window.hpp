#pragma once
// Messages: what `orefront analyze` warns of for the scenario shown (an unknown country, a
// filter matching nothing, a missing grade field, a repaired geometry, ...), each naming the
// file, layer and feature. ViewerApp sets the list when the snapshot or its report changes
// (a reload, a date on the Timeline); the window only shows it.
#include <string>
#include <utility>
#include <vector>

namespace orefront::viewer {

inline constexpr const char *kMessagesWindow = "Messages";

struct MessagesWindow {
    void set(std::vector<std::string> messages) { m_messages = std::move(messages); }
    const std::vector<std::string> &messages() const { return m_messages; }
    void Draw(const char *title, bool *p_open);

private:
    std::vector<std::string> m_messages;
};

} // namespace orefront::viewer
