#include "orefront/rules/warnings.hpp"

#include "orefront/export/report_writer.hpp"
#include "orefront/model/radix_sort.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <deque>
#include <functional>
#include <string_view>
#include <utility>

namespace orefront::rules {

std::string jurisdictionCounts(const std::map<std::string, int> &counts) {
    std::vector<std::pair<std::string, int>> v(counts.begin(), counts.end());
    std::stable_sort(v.begin(), v.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    std::string out;
    for (const auto &[value, n] : v)
        out.append(out.empty() ? "'" : ", '").append(value).append("' ").append(std::to_string(n));
    return out;
}

std::vector<std::string> depositWarnings(const model::Layer &deposits, const model::LayerSpec &spec) {
    std::vector<std::string> out;
    const int nameIdx = deposits.fieldIndex(spec.nameField.empty() ? "name" : spec.nameField);
    if (nameIdx < 0)
        return out; // a missing explicit name field is readFacts()'s error
    // The names as views into the features (a sorted array, not a map node per deposit: at a
    // million deposits those nodes stayed behind in the heap, some 60 MB of peak memory).
    std::vector<std::string_view> names;
    names.reserve(deposits.features.size());
    std::deque<std::string> converted; // names that are not strings (numbers), as text
    std::size_t empty = 0;
    for (const auto &f : deposits.features) {
        const auto text = f.attributes.stringAt(static_cast<std::size_t>(nameIdx));
        const std::string_view name =
            text ? *text : std::string_view(converted.emplace_back(model::toString(f.attributes[nameIdx])));
        if (name.find_first_not_of(" \t") == std::string_view::npos)
            ++empty;
        else
            names.push_back(name);
    }
    const std::string field = deposits.fields[nameIdx].name;
    if (empty == deposits.features.size())
        out.push_back(deposits.describe() + ": name field '" + field + "' is empty on all " +
                      std::to_string(empty) +
                      " features; deposits are reported as \"feature N\" (set name_field)");
    else if (empty > 0)
        out.push_back(deposits.describe() + ": name field '" + field + "' is empty on " +
                      std::to_string(empty) + " of " + std::to_string(deposits.features.size()) +
                      " features");
    // A source field the report writes itself (an analyst's own "verdict" column) is replaced.
    for (const auto &field : deposits.fields) {
        std::string lower = field.name;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        const auto &ours = exporting::reportFieldNames();
        if (std::find(ours.begin(), ours.end(), lower) != ours.end())
            out.push_back(deposits.describe() + ": field '" + field.name +
                          "' is replaced in the report by the analysis's own '" + lower +
                          "' (rename it to keep it)");
    }
    // Duplicates by hash first: sorting a million (hash, index) pairs is several times faster
    // than sorting the strings (issue 11); equal hashes are then compared as text. The names
    // used more than once are listed in alphabetical order, as before.
    std::vector<model::KeyedIndex> hashed(names.size()), spare;
    for (std::size_t i = 0; i < names.size(); ++i)
        hashed[i] = {std::hash<std::string_view>{}(names[i]), static_cast<std::uint32_t>(i)};
    model::sortByKey(hashed, spare); // radix: a third of std::sort's time at 1M
    std::vector<model::KeyedIndex>().swap(spare);
    std::vector<std::pair<std::string_view, std::size_t>> repeated; // name, times
    std::vector<std::string_view> run;
    for (std::size_t i = 0, next = 0; i < hashed.size(); i = next) {
        for (next = i + 1; next < hashed.size() && hashed[next].first == hashed[i].first;)
            ++next;
        if (next - i == 1)
            continue;
        run.clear();
        for (std::size_t k = i; k < next; ++k)
            run.push_back(names[hashed[k].second]);
        std::sort(run.begin(), run.end());
        for (std::size_t a = 0, b = 0; a < run.size(); a = b) {
            for (b = a + 1; b < run.size() && run[b] == run[a];)
                ++b;
            if (b - a > 1)
                repeated.emplace_back(run[a], b - a);
        }
    }
    std::sort(repeated.begin(), repeated.end());
    const std::size_t duplicated = repeated.size();
    std::string examples;
    for (std::size_t i = 0; i < std::min<std::size_t>(5, repeated.size()); ++i)
        examples.append(examples.empty() ? "'" : ", '")
            .append(repeated[i].first)
            .append("' x")
            .append(std::to_string(repeated[i].second));
    if (duplicated)
        out.push_back(deposits.describe() + ": " + std::to_string(duplicated) + " deposit name" +
                      (duplicated == 1 ? " is" : "s are") + " used more than once (" + examples +
                      (duplicated > 5 ? ", ..." : "") + "); the report keeps every feature, the summary " +
                      "cannot tell them apart");
    return out;
}

std::optional<std::string> unresolvedCountriesWarning(const model::Layer &deposits, const Report &report) {
    if (report.unresolvedCountries.empty())
        return std::nullopt;
    return deposits.describe() + ": " + std::to_string(report.unresolvedCountries.size()) +
           " country value(s) are not an ISO 3166 country nor in the jurisdictions table "
           "(unknown_jurisdiction unless the location decides): " +
           jurisdictionCounts(report.unresolvedCountries);
}

} // namespace orefront::rules
