//! National capitals, by GeoNames id, so the basemap can label them first.
//!
//! The GeoNames extract in `../shared/geodata` carries no feature codes (the
//! `PPLC` "capital" flag is gone), so the list is kept here. Ids and names were
//! taken from the world `places.tsv` (most populous row of that name in that
//! country); a test checks every entry against it. Where a country's seat of
//! government and official capital differ, the official capital is listed
//! (Sucre, Yamoussoukro, Porto-Novo), as in GeoNames.

/// `(geonameid, name, ISO 3166-1 alpha-2)` of each capital, ordered by country code.
pub const CAPITALS: &[(u32, &str, &str)] = &[
    (3041563, "Andorra la Vella", "AD"),
    (292968, "Abu Dhabi", "AE"),
    (1138958, "Kabul", "AF"),
    (3576022, "Saint John’s", "AG"),
    (3183875, "Tirana", "AL"),
    (616052, "Yerevan", "AM"),
    (2240449, "Luanda", "AO"),
    (3435910, "Buenos Aires", "AR"),
    (2761369, "Vienna", "AT"),
    (2172517, "Canberra", "AU"),
    (587084, "Baku", "AZ"),
    (3191281, "Sarajevo", "BA"),
    (3374036, "Bridgetown", "BB"),
    (1185241, "Dhaka", "BD"),
    (2800866, "Brussels", "BE"),
    (2357048, "Ouagadougou", "BF"),
    (727011, "Sofia", "BG"),
    (290340, "Manama", "BH"),
    (426272, "Gitega", "BI"),
    (2392087, "Porto-Novo", "BJ"),
    (1820906, "Bandar Seri Begawan", "BN"),
    (3903987, "Sucre", "BO"),
    (3469058, "Brasília", "BR"),
    (3571824, "Nassau", "BS"),
    (1252416, "Thimphu", "BT"),
    (933773, "Gaborone", "BW"),
    (625144, "Minsk", "BY"),
    (3582672, "Belmopan", "BZ"),
    (6094817, "Ottawa", "CA"),
    (2314302, "Kinshasa", "CD"),
    (2389853, "Bangui", "CF"),
    (2260535, "Brazzaville", "CG"),
    (2661552, "Bern", "CH"),
    (2279755, "Yamoussoukro", "CI"),
    (3871336, "Santiago", "CL"),
    (2220957, "Yaoundé", "CM"),
    (1816670, "Beijing", "CN"),
    (3688689, "Bogotá", "CO"),
    (3621849, "San José", "CR"),
    (3553478, "Havana", "CU"),
    (3374333, "Praia", "CV"),
    (146268, "Nicosia", "CY"),
    (3067696, "Prague", "CZ"),
    (2950159, "Berlin", "DE"),
    (223817, "Djibouti", "DJ"),
    (2618425, "Copenhagen", "DK"),
    (3575635, "Roseau", "DM"),
    (3492908, "Santo Domingo", "DO"),
    (2507480, "Algiers", "DZ"),
    (3652462, "Quito", "EC"),
    (588409, "Tallinn", "EE"),
    (360630, "Cairo", "EG"),
    (2462881, "Laayoune", "EH"),
    (343300, "Asmara", "ER"),
    (3117735, "Madrid", "ES"),
    (344979, "Addis Ababa", "ET"),
    (658225, "Helsinki", "FI"),
    (2198148, "Suva", "FJ"),
    (3426691, "Stanley", "FK"),
    (2081986, "Palikir", "FM"),
    (2988507, "Paris", "FR"),
    (2399697, "Libreville", "GA"),
    (2643743, "London", "GB"),
    (3579925, "Saint George's", "GD"),
    (611717, "Tbilisi", "GE"),
    (3382160, "Cayenne", "GF"),
    (2306104, "Accra", "GH"),
    (3421319, "Nuuk", "GL"),
    (2413876, "Banjul", "GM"),
    (2422465, "Conakry", "GN"),
    (2309527, "Malabo", "GQ"),
    (264371, "Athens", "GR"),
    (3598132, "Guatemala City", "GT"),
    (2374775, "Bissau", "GW"),
    (3378644, "Georgetown", "GY"),
    (1819729, "Hong Kong", "HK"),
    (3600949, "Tegucigalpa", "HN"),
    (3186886, "Zagreb", "HR"),
    (3718426, "Port-au-Prince", "HT"),
    (3054643, "Budapest", "HU"),
    (1642911, "Jakarta", "ID"),
    (2964574, "Dublin", "IE"),
    (281184, "Jerusalem", "IL"),
    (1261481, "New Delhi", "IN"),
    (98182, "Baghdad", "IQ"),
    (112931, "Tehran", "IR"),
    (3413829, "Reykjavík", "IS"),
    (3169070, "Rome", "IT"),
    (3489854, "Kingston", "JM"),
    (250441, "Amman", "JO"),
    (1850147, "Tokyo", "JP"),
    (184745, "Nairobi", "KE"),
    (1528675, "Bishkek", "KG"),
    (1821306, "Phnom Penh", "KH"),
    (2110257, "Tarawa", "KI"),
    (921772, "Moroni", "KM"),
    (3575551, "Basseterre", "KN"),
    (1871859, "Pyongyang", "KP"),
    (1835848, "Seoul", "KR"),
    (285787, "Kuwait City", "KW"),
    (1526273, "Astana", "KZ"),
    (1651944, "Vientiane", "LA"),
    (276781, "Beirut", "LB"),
    (3576812, "Castries", "LC"),
    (3042030, "Vaduz", "LI"),
    (1238992, "Sri Jayewardenepura Kotte", "LK"),
    (2274895, "Monrovia", "LR"),
    (932505, "Maseru", "LS"),
    (593116, "Vilnius", "LT"),
    (2960316, "Luxembourg", "LU"),
    (456172, "Riga", "LV"),
    (2210247, "Tripoli", "LY"),
    (2538475, "Rabat", "MA"),
    (2993458, "Monaco", "MC"),
    (618426, "Chisinau", "MD"),
    (3193044, "Podgorica", "ME"),
    (1070940, "Antananarivo", "MG"),
    (2113779, "Majuro", "MH"),
    (785842, "Skopje", "MK"),
    (2460596, "Bamako", "ML"),
    (6611854, "Nay Pyi Taw", "MM"),
    (2028462, "Ulan Bator", "MN"),
    (2377450, "Nouakchott", "MR"),
    (2562305, "Valletta", "MT"),
    (934154, "Port Louis", "MU"),
    (1282027, "Male", "MV"),
    (927967, "Lilongwe", "MW"),
    (3530597, "Mexico City", "MX"),
    (1735161, "Kuala Lumpur", "MY"),
    (1040652, "Maputo", "MZ"),
    (3352136, "Windhoek", "NA"),
    (2139521, "Nouméa", "NC"),
    (2440485, "Niamey", "NE"),
    (2352778, "Abuja", "NG"),
    (3617763, "Managua", "NI"),
    (2759794, "Amsterdam", "NL"),
    (3143244, "Oslo", "NO"),
    (1283240, "Kathmandu", "NP"),
    (7626461, "Yaren", "NR"),
    (2179537, "Wellington", "NZ"),
    (287286, "Muscat", "OM"),
    (3703443, "Panama City", "PA"),
    (3936456, "Lima", "PE"),
    (4033936, "Papeete", "PF"),
    (2088122, "Port Moresby", "PG"),
    (1701668, "Manila", "PH"),
    (1176615, "Islamabad", "PK"),
    (756135, "Warsaw", "PL"),
    (4568127, "San Juan", "PR"),
    (282239, "Ramallah", "PS"),
    (2267057, "Lisbon", "PT"),
    (8063361, "Ngerulmud", "PW"),
    (3439389, "Asunción", "PY"),
    (290030, "Doha", "QA"),
    (683506, "Bucharest", "RO"),
    (792680, "Belgrade", "RS"),
    (524901, "Moscow", "RU"),
    (202061, "Kigali", "RW"),
    (108410, "Riyadh", "SA"),
    (2108502, "Honiara", "SB"),
    (241131, "Victoria", "SC"),
    (379252, "Khartoum", "SD"),
    (2673730, "Stockholm", "SE"),
    (1880252, "Singapore", "SG"),
    (3196359, "Ljubljana", "SI"),
    (3060972, "Bratislava", "SK"),
    (2409306, "Freetown", "SL"),
    (3168070, "San Marino", "SM"),
    (2253354, "Dakar", "SN"),
    (53654, "Mogadishu", "SO"),
    (3383330, "Paramaribo", "SR"),
    (373303, "Juba", "SS"),
    (2410763, "São Tomé", "ST"),
    (3583361, "San Salvador", "SV"),
    (170654, "Damascus", "SY"),
    (934985, "Mbabane", "SZ"),
    (2427123, "N'Djamena", "TD"),
    (2365267, "Lomé", "TG"),
    (1609350, "Bangkok", "TH"),
    (1221874, "Dushanbe", "TJ"),
    (1645457, "Dili", "TL"),
    (162183, "Ashgabat", "TM"),
    (2464470, "Tunis", "TN"),
    (4032402, "Nuku‘alofa", "TO"),
    (323786, "Ankara", "TR"),
    (3573890, "Port of Spain", "TT"),
    (2110394, "Funafuti", "TV"),
    (1668341, "Taipei", "TW"),
    (160196, "Dodoma", "TZ"),
    (703448, "Kyiv", "UA"),
    (232422, "Kampala", "UG"),
    (4140963, "Washington", "US"),
    (3441575, "Montevideo", "UY"),
    (1512569, "Tashkent", "UZ"),
    (6691831, "Vatican City", "VA"),
    (3577887, "Kingstown", "VC"),
    (3646738, "Caracas", "VE"),
    (1581130, "Hanoi", "VN"),
    (2135171, "Port-Vila", "VU"),
    (4035413, "Apia", "WS"),
    (786714, "Pristina", "XK"),
    (71137, "Sanaa", "YE"),
    (964137, "Pretoria", "ZA"),
    (909137, "Lusaka", "ZM"),
    (890299, "Harare", "ZW"),
];

#[cfg(test)]
mod tests {
    use super::CAPITALS;
    use std::collections::HashSet;

    #[test]
    fn one_capital_per_country_and_no_repeated_ids() {
        let countries: HashSet<&str> = CAPITALS.iter().map(|c| c.2).collect();
        let ids: HashSet<u32> = CAPITALS.iter().map(|c| c.0).collect();
        assert_eq!(countries.len(), CAPITALS.len());
        assert_eq!(ids.len(), CAPITALS.len());
        assert!(CAPITALS.len() > 190, "every UN member at least");
    }

    #[test]
    fn every_capital_is_in_the_world_gazetteer_under_its_name_and_country() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/geodata/world/places.tsv");
        let Ok(text) = std::fs::read_to_string(&path) else {
            assert!(
                std::env::var("CI").is_err(),
                "{} is missing under CI",
                path.display()
            );
            eprintln!("skipped: {} not found", path.display());
            return;
        };
        let rows: HashSet<(u32, &str, &str)> = text
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut f = line.split('\t');
                let id = f.next()?.parse().ok()?;
                let name = f.next()?;
                let country = f.nth(2)?;
                Some((id, name, country))
            })
            .collect();
        for capital in CAPITALS {
            assert!(rows.contains(capital), "{capital:?} not in places.tsv");
        }
    }
}
