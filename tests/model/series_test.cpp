// model::Date and the file-name date patterns of dated snapshot series.
#include "orefront/model/series.hpp"

#include <catch2/catch.hpp>

using namespace orefront;
using model::Date;

TEST_CASE("Date: ISO 8601 in and out, and day arithmetic across months and leap years") {
    CHECK(Date::fromYmd(1970, 1, 1).days() == 0);
    CHECK(Date::fromYmd(2000, 3, 1).days() == 11017); // Unix day of 2000-03-01 (date -d ... +%s / 86400)
    CHECK(Date::parseIso("2024-02-29")->iso() == "2024-02-29");
    CHECK_FALSE(Date::parseIso("2023-02-29"));
    CHECK_FALSE(Date::parseIso("2025-13-01"));
    CHECK_FALSE(Date::parseIso("2025-8-1"));
    CHECK_FALSE(Date::parseIso("1/8/2025"));
    CHECK_FALSE(Date::parseIso("2025-08-01x"));
    const Date d = *Date::parseIso("2024-12-31");
    CHECK(d.addDays(1).iso() == "2025-01-01");
    CHECK(d.addDays(-366).iso() == "2023-12-31"); // 2024 is a leap year
    CHECK(*Date::parseIso("2026-08-22") - *Date::parseIso("2024-07-08") == 775);
    CHECK(Date::parseIso("2024-01-31")->addMonths(1).iso() == "2024-02-29");
    CHECK(Date::parseIso("2024-11-30")->addMonths(3).iso() == "2025-02-28");
    CHECK(Date::parseIso("2022-02-23")->addMonths(-1).iso() == "2022-01-23");
    CHECK(d.year() == 2024);
    CHECK(d.month() == 12);
    CHECK(d.day() == 31);
    CHECK(*Date::parseIso("2022-03-01") < *Date::parseIso("2022-03-02"));
}

TEST_CASE("dateFromName reads a strftime-like pattern anywhere in a file name") {
    CHECK(model::dateFromName("deepstatemap_data_20240708.geojson", "deepstatemap_data_%Y%m%d")->iso() ==
          "2024-07-08");
    CHECK(model::dateFromName("occupied_2022-03-25.geojson", "occupied_%Y-%m-%d")->iso() == "2022-03-25");
    CHECK(model::dateFromName("x_100%_2022-03-25", "%%_%Y-%m-%d")->iso() == "2022-03-25");
    CHECK_FALSE(model::dateFromName("deepstatemap_data_latest.geojson", "deepstatemap_data_%Y%m%d"));
    CHECK_FALSE(model::dateFromName("deepstatemap_data_20230229.geojson", "deepstatemap_data_%Y%m%d"));
    CHECK_THROWS_AS(model::dateFromName("a", "data_%Y%m"), std::invalid_argument);
    CHECK_THROWS_AS(model::dateFromName("a", "data_%Y%m%d%H"), std::invalid_argument);
}

TEST_CASE("parseDateValue reads the date forms attribute fields use") {
    CHECK(model::parseDateValue("2025-08-01")->iso() == "2025-08-01");
    CHECK(model::parseDateValue("2025/08/01")->iso() == "2025-08-01"); // GDAL's OFTDate text
    CHECK(model::parseDateValue("2025-08-01T03:00:00Z")->iso() == "2025-08-01");
    CHECK(model::parseDateValue("20250801")->iso() == "2025-08-01");
    CHECK_FALSE(model::parseDateValue("August 2025"));
    CHECK_FALSE(model::parseDateValue(""));
    CHECK_FALSE(model::parseDateValue("2025-02-30"));
}

TEST_CASE("series forms by name") {
    CHECK(model::seriesFormFromName("snapshots") == model::SeriesForm::Snapshots);
    CHECK(model::seriesFormFromName("date_field") == model::SeriesForm::DateField);
    CHECK(model::seriesFormFromName("valid_range") == model::SeriesForm::ValidRange);
    CHECK_FALSE(model::seriesFormFromName("daily"));
}
