#include "ui/file_dialog.hpp"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace orefront::viewer {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool onPath(const char *program) {
    const char *path = std::getenv("PATH");
    if (!path)
        return false;
    std::string_view rest(path);
    while (!rest.empty()) {
        const auto colon = rest.find(':');
        const fs::path candidate = fs::path(std::string(rest.substr(0, colon))) / program;
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec))
            return true;
        rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    }
    return false;
}

std::string shellQuote(const std::string &s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

void copyTo(char *dst, std::size_t size, const std::string &src) {
    std::snprintf(dst, size, "%s", src.c_str());
}

} // namespace

std::vector<FileEntry> listDirectory(const fs::path &dir, const std::vector<std::string> &extensions) {
    std::vector<FileEntry> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || name[0] == '.')
            continue;
        std::error_code e2;
        const bool directory = it->is_directory(e2);
        if (!directory && !extensions.empty()) {
            const std::string ext = lower(it->path().extension().string());
            if (std::none_of(extensions.begin(), extensions.end(),
                             [&](const std::string &x) { return lower(x) == ext; }))
                continue;
        }
        out.push_back({name, directory});
    }
    std::sort(out.begin(), out.end(), [](const FileEntry &a, const FileEntry &b) {
        return a.directory != b.directory ? a.directory : a.name < b.name;
    });
    return out;
}

void FileDialog::open(int purpose, std::string title, Mode mode, std::vector<std::string> extensions,
                      const std::string &start) {
    m_purpose = purpose;
    m_title = std::move(title);
    m_mode = mode;
    m_extensions = std::move(extensions);
    m_error.clear();
    std::error_code ec;
    fs::path p = start.empty() ? fs::current_path(ec) : fs::absolute(start, ec);
    if (fs::is_directory(p, ec)) {
        m_dir = p;
        m_name[0] = 0;
    } else {
        m_dir = p.parent_path();
        copyTo(m_name, sizeof m_name, mode == Mode::Save ? p.filename().string() : std::string{});
    }
    refresh();
    m_openRequested = true;
}

void FileDialog::refresh() {
    m_dir = m_dir.lexically_normal();
    copyTo(m_dirText, sizeof m_dirText, m_dir.string());
    m_entries = listDirectory(m_dir, m_allFiles ? std::vector<std::string>{} : m_extensions);
}

std::optional<std::string> FileDialog::Draw() {
    const std::string popupId = m_title + "###filedialog";
    if (m_openRequested) {
        ImGui::OpenPopup(popupId.c_str());
        m_openRequested = false;
    }
    const ImGuiViewport *vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowSize(
        {std::min(720.0f, vp->WorkSize.x * 0.9f), std::min(480.0f, vp->WorkSize.y * 0.9f)},
        ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Appearing, {0.5f, 0.5f});
    if (!ImGui::BeginPopupModal(popupId.c_str(), nullptr))
        return std::nullopt;
    std::optional<std::string> chosen;

    if (ImGui::ArrowButton("##up", ImGuiDir_Up) && m_dir.has_parent_path()) {
        m_dir = m_dir.parent_path();
        refresh();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputText("##dir", m_dirText, sizeof m_dirText, ImGuiInputTextFlags_EnterReturnsTrue)) {
        std::error_code ec;
        if (fs::is_directory(m_dirText, ec)) {
            m_dir = m_dirText;
            refresh();
        } else if (fs::is_regular_file(m_dirText, ec)) {
            chosen = fs::absolute(m_dirText).string();
        } else {
            m_error = std::string("no such directory: ") + m_dirText;
        }
    }

    const float footer = ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetStyle().ItemSpacing.y;
    if (ImGui::BeginChild("##entries", {0, -footer}, ImGuiChildFlags_Borders)) {
        for (const auto &e : m_entries) {
            const std::string label = (e.directory ? "[dir]  " : "       ") + e.name;
            const bool isSelected = !e.directory && e.name == m_name;
            if (ImGui::Selectable(label.c_str(), isSelected, ImGuiSelectableFlags_AllowDoubleClick)) {
                if (e.directory) {
                    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
                        m_dir /= e.name;
                        refresh();
                        break;
                    }
                } else {
                    copyTo(m_name, sizeof m_name, e.name);
                    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left))
                        chosen = (m_dir / e.name).string();
                }
            }
        }
        if (m_entries.empty())
            ImGui::TextDisabled("(no matching files)");
    }
    ImGui::EndChild();

    ImGui::SetNextItemWidth(-260);
    const bool enter = ImGui::InputTextWithHint("##name", "file name", m_name, sizeof m_name,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if (!m_extensions.empty() && ImGui::Checkbox("All files", &m_allFiles))
        refresh();
    ImGui::SameLine();
    const bool ok = ImGui::Button(m_mode == Mode::Save ? "Save" : "Open", {80, 0});
    ImGui::SameLine();
    if (ImGui::Button("Cancel", {80, 0}) || ImGui::IsKeyPressed(ImGuiKey_Escape)) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return std::nullopt;
    }
    if ((ok || enter) && m_name[0]) {
        fs::path p = fs::path(m_name).is_absolute() ? fs::path(m_name) : m_dir / m_name;
        if (m_mode == Mode::Save && !p.has_extension() && !m_extensions.empty())
            p += m_extensions.front();
        std::error_code ec;
        if (m_mode == Mode::Open && !fs::exists(p, ec))
            m_error = "no such file: " + p.string();
        else
            chosen = p.string();
    }
    if (!m_error.empty())
        ImGui::TextColored({0.84f, 0.37f, 0.0f, 1.0f}, "%s", m_error.c_str());
    else
        ImGui::TextDisabled("%s", m_extensions.empty() ? "any file" : ("*" + m_extensions.front()).c_str());
    if (chosen)
        ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return chosen;
}

std::string FileDialog::desktopCommand() const {
    if (const char *force = std::getenv("OREFRONT_FILE_DIALOG"); force && std::strcmp(force, "imgui") == 0)
        return {};
    const char *x = std::getenv("DISPLAY");
    const char *w = std::getenv("WAYLAND_DISPLAY");
    if (!((x && *x) || (w && *w)) || !onPath("zenity"))
        return {};
    std::string cmd = "zenity --file-selection --title=" + shellQuote(m_title);
    if (m_mode == Mode::Save)
        cmd += " --save --confirm-overwrite";
    const fs::path start = m_dir / m_name;
    cmd += " --filename=" + shellQuote(start.string());
    if (!m_extensions.empty()) {
        std::string patterns;
        for (const auto &e : m_extensions)
            patterns += " *" + e;
        cmd += " --file-filter=" + shellQuote(patterns.substr(1)) + " --file-filter='All files | *'";
    }
    return cmd + " 2>/dev/null";
}

std::optional<std::string> runDesktopDialog(const std::string &command) {
    FILE *p = ::popen(command.c_str(), "r");
    if (!p)
        return std::nullopt;
    std::string out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p))
        out += buf;
    const int status = ::pclose(p);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    if (status != 0 || out.empty())
        return std::nullopt;
    return out;
}

} // namespace orefront::viewer
