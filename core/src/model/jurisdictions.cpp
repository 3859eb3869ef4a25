// The built-in jurisdictions table and commodity cut-offs: what every scenario starts from.
// Each row's facts are cited beside it (and in README.md, "Jurisdictions"). reserves_mt =
// national rare-earth reserves in Mt REO from USGS Mineral Commodity Summaries 2025 (Rare
// Earths); 0 where the country is not listed. processing_access = the country has (or has
// contracted access to) REE separation capacity outside China.
#include "orefront/model/scenario.hpp"

namespace orefront::model {

namespace {

Jurisdiction row(const char *code, const char *name, bool sanctioned, bool propertyRisk, const char *grid,
                 bool processing, double reservesMt, std::vector<std::string> aliases, const char *source) {
    Jurisdiction j;
    j.code = code;
    j.name = name;
    j.sanctioned = sanctioned;
    j.propertyRightsRisk = propertyRisk;
    j.grid = grid;
    j.processingAccess = processing;
    j.reservesMt = reservesMt;
    j.aliases = std::move(aliases);
    j.source = source;
    return j;
}

} // namespace

const std::map<std::string, Jurisdiction> &builtinJurisdictions() {
    static const std::map<std::string, Jurisdiction> table = [] {
        const Jurisdiction rows[] = {
            row("UKR", "Ukraine", false, false, "damaged", false, 0, {},
                "grid: Russian strikes on generation and substations 2022-2025 (IEA, Ukraine's Energy "
                "Security, 2024); processing: no REE separation plant, the US-Ukraine minerals agreement of "
                "30 Apr 2025 is a fund, not a plant; reserves not listed in USGS MCS 2025"),
            row("RUS", "Russian Federation", true, true, "ok", true, 3.8, {"Russia"},
                "sanctions: EU Reg. 833/2014 as amended, US and UK sanctions since 2014/2022; property: "
                "temporary state administration of foreign-owned assets, Decree 302 (Apr 2023); "
                "processing: Solikamsk Magnesium Works separates loparite concentrate; USGS MCS 2025"),
            row("BLR", "Belarus", true, false, "ok", false, 0, {},
                "sanctions: EU Council Reg. 765/2006 as amended 2022 (Belarus's role in the invasion of "
                "Ukraine), US EO 14038 (2021); property rights not assessed; not listed in USGS MCS 2025"),
            row("PRK", "North Korea", true, true, "ok", false, 0, {},
                "sanctions: UN Security Council Res. 1718 (2006), 2270 and 2397; property: natural "
                "resources are state property (DPRK Constitution); not listed in USGS MCS 2025"),
            row("IRN", "Iran", true, false, "ok", false, 0, {},
                "sanctions: US Iranian Transactions and Sanctions Regulations (31 CFR 560), EU Reg. "
                "267/2012; property rights not assessed; not listed in USGS MCS 2025"),
            row("CHN", "China", false, true, "ok", true, 44, {},
                "property: REE mining/separation closed to foreign investment (Negative List 2024), REE "
                "export controls 2023-2025; processing: ~90 % of world REE separation (IEA Global "
                "Critical Minerals Outlook 2024); USGS MCS 2025"),
            row("USA", "United States", false, false, "ok", true, 1.9, {},
                "processing: MP Materials separation at Mountain Pass since 2023 (MP 10-K 2023); USGS MCS "
                "2025"),
            row("AUS", "Australia", false, false, "ok", true, 5.7, {},
                "processing: Lynas Kalgoorlie cracking + Kuantan (MYS) separation (Lynas Annual Report "
                "2024); USGS MCS 2025"),
            row("CAN", "Canada", false, false, "ok", true, 0.83, {},
                "processing: Saskatchewan Research Council REE processing facility, Saskatoon (2024); USGS "
                "MCS 2025"),
            row("GRL", "Greenland (Denmark)", false, true, "none", false, 1.5, {},
                "property: uranium ban, Act No. 20 of 1 Dec 2021, blocked Kvanefjeld's exploitation "
                "licence; grid: no national grid, isolated town hydro/diesel systems (Nukissiorfiit); "
                "USGS MCS 2025"),
            row("BRA", "Brazil", false, false, "ok", false, 21, {},
                "processing: Serra Verde concentrate is separated abroad (2024); USGS MCS 2025"),
            row("VNM", "Viet Nam", false, false, "ok", true, 3.5, {},
                "processing: VTRE separation plant, Hai Duong; USGS MCS 2025 (revised from 22 Mt in MCS "
                "2024)"),
            row("ZAF", "South Africa", false, false, "ok", false, 0.86, {},
                "grid: Eskom load-shedding largely suspended since Mar 2024; USGS MCS 2025"),
            row("TZA", "Tanzania", false, true, "ok", false, 0.89, {},
                "property: 2017 Natural Wealth and Resources Acts (state free-carried interest, "
                "renegotiation powers); USGS MCS 2025"),
            row("NAM", "Namibia", false, false, "ok", false, 0, {}, "not listed in USGS MCS 2025"),
            row("SWE", "Sweden", false, false, "ok", false, 0, {},
                "processing: LKAB REE plant at Lulea planned, not built; not listed in USGS MCS 2025"),
            row("NOR", "Norway", false, false, "ok", true, 0, {},
                "processing: REEtec separation plant, Heroya (Porsgrunn), commissioning 2024-2025; not "
                "listed in USGS MCS 2025"),
            row("MWI", "Malawi", false, false, "ok", false, 0, {}, "not listed separately in USGS MCS 2025"),
            row("MYS", "Malaysia", false, false, "ok", true, 0.018, {},
                "processing: Lynas Advanced Materials Plant, Kuantan; USGS MCS 2025"),
        };
        std::map<std::string, Jurisdiction> m;
        for (const auto &j : rows)
            m.emplace(j.code, j);
        return m;
    }();
    return table;
}

std::vector<Cutoff> builtinCutoffs() {
    return {
        {"REE",
         {"rare earths", "rare earth elements", "REO", "TREO", "HREE", "LREE"},
         "grade_treo_pct",
         "TREO %",
         2.0,
         "2 % TREO: the project brief's commercial cut-off; for reference Mountain Pass reserves grade "
         "about 5 % TREO (MP Materials 10-K 2023) and Mount Weld about 4 % (Lynas Annual Report 2024)"},
        {"Li",
         {"lithium", "Li2O", "spodumene"},
         "grade_li2o_pct",
         "Li2O %",
         1.0,
         "1.0 % Li2O average grade: developed hard-rock spodumene projects average 1.0-1.4 % Li2O (Mina do "
         "Barroso, Savannah Resources MRE 10 Sep 2018: 20.1 Mt at 1.04 % Li2O; Lithium Springs JORC MRE: "
         "10 Mt at 1.20 % Li2O), while their block cut-offs are lower (0.33 % Li2O at Lithium Springs)"},
    };
}

} // namespace orefront::model
