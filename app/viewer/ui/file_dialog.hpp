#pragma once
// A small file browser in ImGui (a modal: directory listing, extension filter, path field),
// and the desktop's own (zenity) when it is on PATH and a display is up. The viewer asks
// for a path with open(); the chosen path comes back from Draw() (built-in dialog) or
// through runDesktopDialog() on a worker (zenity blocks until the user answers).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace orefront::viewer {

struct FileEntry {
    std::string name;
    bool directory = false;
};
// Directories first, then files whose extension is in `extensions` (case-insensitive; empty
// = every file), each group by name; hidden entries (leading '.') left out. GL-free.
std::vector<FileEntry> listDirectory(const std::filesystem::path &dir,
                                     const std::vector<std::string> &extensions);

struct FileDialog {
    enum class Mode { Open, Save };
    // What the dialog was opened for (the caller's own code, handed back with the path).
    int m_purpose = 0;
    std::string m_title;
    Mode m_mode = Mode::Open;
    std::vector<std::string> m_extensions; // ".toml", ...; empty = any file
    std::filesystem::path m_dir;
    char m_name[512] = "";
    char m_dirText[1024] = "";
    bool m_allFiles = false;
    bool m_openRequested = false;
    std::vector<FileEntry> m_entries;
    std::string m_error;

    // Shows the dialog from the next Draw(). `start`: a directory, or a file whose directory
    // is listed and whose name is proposed (Save).
    void open(int purpose, std::string title, Mode mode, std::vector<std::string> extensions,
              const std::string &start);
    // Draws the modal if open; returns the chosen path (absolute) on the frame it is chosen.
    std::optional<std::string> Draw();

    // zenity's command line for this dialog, or empty when zenity is not available (not on
    // PATH, no display, or OREFRONT_FILE_DIALOG=imgui).
    std::string desktopCommand() const;
    void refresh();
};

// Runs `command` (FileDialog::desktopCommand) and returns the path it printed; nullopt when
// the user cancelled. Blocks until the dialog closes: call it on a worker.
std::optional<std::string> runDesktopDialog(const std::string &command);

} // namespace orefront::viewer
