//! The pay-transparency table: jurisdictions whose law requires a pay range (or
//! pay) in job advertisements, with the rule, the day it took effect and where it
//! comes from. Used by `pay`; listed in README.md. Employer-size thresholds are
//! noted in `rule`: openings cannot know a company's size, so it warns regardless.
//!
//! Keep entries to laws that require pay *in the posting*. Sources are statute
//! citations; the dates are the days the posting requirement took effect.

use jiff::civil::{Date, date};

#[derive(Debug, Clone)]
pub struct Jurisdiction {
    pub name: &'static str,
    /// ISO 3166-1 alpha-2.
    pub country: &'static str,
    /// Region codes and names matched against a location's `region`
    /// (case-insensitive); empty for a whole country.
    pub regions: &'static [&'static str],
    /// City names matched against a location's `city`; empty for a whole region.
    pub cities: &'static [&'static str],
    pub effective: Date,
    pub rule: &'static str,
    pub source: &'static str,
}

const fn us(
    name: &'static str,
    regions: &'static [&'static str],
    cities: &'static [&'static str],
    effective: Date,
    rule: &'static str,
    source: &'static str,
) -> Jurisdiction {
    Jurisdiction {
        name,
        country: "US",
        regions,
        cities,
        effective,
        rule,
        source,
    }
}

const NORTH_AMERICA: &[Jurisdiction] = &[
    us(
        "Colorado",
        &["CO", "Colorado"],
        &[],
        date(2021, 1, 1),
        "job postings must state the hourly or salary compensation or range and a general description of benefits (all employers, including remote jobs that could be done in Colorado)",
        "Equal Pay for Equal Work Act, C.R.S. § 8-5-201",
    ),
    us(
        "California",
        &["CA", "California"],
        &[],
        date(2023, 1, 1),
        "job postings must include the pay scale (employers with 15 or more employees)",
        "SB 1162, Cal. Lab. Code § 432.3(c)",
    ),
    us(
        "Washington",
        &["WA", "Washington"],
        &[],
        date(2023, 1, 1),
        "job postings must disclose the wage scale or salary range and a general description of benefits (employers with 15 or more employees)",
        "SB 5761, RCW 49.58.110",
    ),
    us(
        "New York State",
        &["NY", "New York"],
        &[],
        date(2023, 9, 17),
        "advertised jobs must include the compensation or a good-faith range (employers with 4 or more employees)",
        "N.Y. Labor Law § 194-b",
    ),
    us(
        "New York City",
        &["NY", "New York"],
        &[
            "New York",
            "New York City",
            "NYC",
            "Manhattan",
            "Brooklyn",
            "Queens",
            "The Bronx",
            "Bronx",
            "Staten Island",
        ],
        date(2022, 11, 1),
        "job advertisements must state a good-faith minimum and maximum salary (employers with 4 or more employees)",
        "Local Law 32 of 2022, NYC Admin. Code § 8-107(32)",
    ),
    us(
        "Jersey City",
        &["NJ", "New Jersey"],
        &["Jersey City"],
        date(2022, 4, 13),
        "job postings must list the minimum and maximum salary or hourly wage and benefits (employers with 5 or more employees)",
        "Jersey City Municipal Code § 148-4.1 (Ordinances 22-026 and 22-045)",
    ),
    us(
        "Illinois",
        &["IL", "Illinois"],
        &[],
        date(2025, 1, 1),
        "job postings must include the pay scale and a general description of benefits (employers with 15 or more employees)",
        "HB 3129, Equal Pay Act of 2003, 820 ILCS 112/10(b-25)",
    ),
    us(
        "Maryland",
        &["MD", "Maryland"],
        &[],
        date(2024, 10, 1),
        "job postings must include the wage range and a general description of benefits (all employers)",
        "Wage Range Transparency Act (SB 525), Md. Code, Lab. & Empl. § 3-304.2",
    ),
    us(
        "Minnesota",
        &["MN", "Minnesota"],
        &[],
        date(2025, 1, 1),
        "job postings must include the starting salary range or fixed pay and a general description of benefits (employers with 30 or more employees)",
        "Minn. Stat. § 181.173",
    ),
    us(
        "Vermont",
        &["VT", "Vermont"],
        &[],
        date(2025, 7, 1),
        "advertisements must disclose the minimum and maximum annual salary or hourly wage (employers with 5 or more employees)",
        "Act 155 of 2024, 21 V.S.A. § 495o",
    ),
    us(
        "Massachusetts",
        &["MA", "Massachusetts"],
        &[],
        date(2025, 10, 29),
        "job postings must disclose the pay range (employers with 25 or more employees in Massachusetts)",
        "An Act relative to salary range transparency (H.4890), M.G.L. c. 149, § 105F",
    ),
    us(
        "New Jersey",
        &["NJ", "New Jersey"],
        &[],
        date(2025, 6, 1),
        "job postings must disclose the hourly wage or salary, or its range, and a general description of benefits (employers with 10 or more employees)",
        "S2310 of 2024, N.J.S.A. 34:11-56a47",
    ),
    us(
        "Hawaii",
        &["HI", "Hawaii"],
        &[],
        date(2024, 1, 1),
        "job listings must include an hourly rate or salary range that reasonably reflects the actual expected pay (employers with 50 or more employees)",
        "Act 203 of 2023 (SB 1057), HRS § 378-2.4",
    ),
    us(
        "Washington, D.C.",
        &["DC", "District of Columbia"],
        &[],
        date(2024, 6, 30),
        "job listings must include the minimum and maximum projected salary or hourly pay (employers with 1 or more employees)",
        "Wage Transparency Omnibus Amendment Act of 2023, D.C. Code § 32-1481.01 et seq.",
    ),
    Jurisdiction {
        name: "British Columbia",
        country: "CA",
        regions: &["BC", "British Columbia"],
        cities: &[],
        effective: date(2023, 11, 1),
        rule: "publicly advertised jobs must include the expected pay or pay range (all employers)",
        source: "Pay Transparency Act, S.B.C. 2023, c. 18, s. 5",
    },
    Jurisdiction {
        name: "Ontario",
        country: "CA",
        regions: &["ON", "Ontario"],
        cities: &[],
        effective: date(2026, 1, 1),
        rule: "publicly advertised job postings must include the expected compensation or a range no wider than $50,000 (employers with 25 or more employees; not above $200,000 a year)",
        source: "Employment Standards Act, 2000, s. 8.1 (Working for Workers Four Act, 2024), O. Reg. 476/24",
    },
];

/// EU member states, which transpose the Pay Transparency Directive.
const EU_MEMBERS: &[(&str, &str)] = &[
    ("AT", "Austria"),
    ("BE", "Belgium"),
    ("BG", "Bulgaria"),
    ("HR", "Croatia"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("DK", "Denmark"),
    ("EE", "Estonia"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("GR", "Greece"),
    ("HU", "Hungary"),
    ("IE", "Ireland"),
    ("IT", "Italy"),
    ("LV", "Latvia"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("MT", "Malta"),
    ("NL", "Netherlands"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("RO", "Romania"),
    ("SK", "Slovakia"),
    ("SI", "Slovenia"),
    ("ES", "Spain"),
    ("SE", "Sweden"),
];

const EU_RULE: &str = "applicants must be told the initial pay or its range, based on objective, gender-neutral criteria, in the job vacancy notice or before the interview (all employers)";
const EU_SOURCE: &str = "Directive (EU) 2023/970, Article 5; transposition deadline 7 June 2026";

/// Every jurisdiction in the table.
pub fn all() -> Vec<Jurisdiction> {
    let mut out = NORTH_AMERICA.to_vec();
    out.extend(EU_MEMBERS.iter().map(|(code, name)| Jurisdiction {
        name,
        country: code,
        regions: &[],
        cities: &[],
        effective: date(2026, 6, 7),
        rule: EU_RULE,
        source: EU_SOURCE,
    }));
    out
}

fn any_eq(list: &[&str], value: Option<&str>) -> bool {
    value.is_some_and(|v| list.iter().any(|x| x.eq_ignore_ascii_case(v.trim())))
}

impl Jurisdiction {
    /// True when a place with this country, region and city lies inside.
    pub fn contains(&self, country: &str, region: Option<&str>, city: Option<&str>) -> bool {
        if !country.eq_ignore_ascii_case(self.country) {
            return false;
        }
        if !self.cities.is_empty() {
            // A city names itself; a region given with it must agree.
            return any_eq(self.cities, city) && (region.is_none() || any_eq(self.regions, region));
        }
        self.regions.is_empty() || any_eq(self.regions, region)
    }

    /// True when a hire living anywhere in `country` may be inside (remote roles).
    pub fn within_country(&self, country: &str) -> bool {
        country.eq_ignore_ascii_case(self.country)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(name: &str) -> Jurisdiction {
        all().into_iter().find(|j| j.name == name).unwrap()
    }

    #[test]
    fn the_table_covers_what_the_issue_lists() {
        let names: Vec<&str> = all().iter().map(|j| j.name).collect();
        for want in [
            "Colorado",
            "California",
            "Washington",
            "New York State",
            "New York City",
            "Jersey City",
            "Illinois",
            "Maryland",
            "Minnesota",
            "Vermont",
            "Massachusetts",
            "New Jersey",
            "Hawaii",
            "Washington, D.C.",
            "Germany",
            "Portugal",
        ] {
            assert!(names.contains(&want), "{want} missing");
        }
        assert_eq!(all().iter().filter(|j| j.source == EU_SOURCE).count(), 27);
        assert!(
            all()
                .iter()
                .all(|j| !j.rule.is_empty() && !j.source.is_empty())
        );
    }

    #[test]
    fn places_match_by_country_region_and_city() {
        let co = find("Colorado");
        assert!(co.contains("US", Some("CO"), Some("Denver")));
        assert!(co.contains("us", Some("colorado"), None));
        assert!(!co.contains("US", Some("TX"), Some("Austin")));
        assert!(
            !co.contains("US", None, None),
            "a US office without a region"
        );
        let nyc = find("New York City");
        assert!(nyc.contains("US", Some("NY"), Some("Brooklyn")));
        assert!(nyc.contains("US", None, Some("New York City")));
        assert!(!nyc.contains("US", Some("NY"), Some("Albany")));
        let jc = find("Jersey City");
        assert!(jc.contains("US", Some("NJ"), Some("Jersey City")));
        assert!(!jc.contains("US", Some("NJ"), Some("Newark")));
        let de = find("Germany");
        assert!(de.contains("DE", Some("BE"), Some("Berlin")));
        assert!(de.within_country("DE") && !de.within_country("CH"));
        assert!(find("Ontario").contains("CA", Some("ON"), Some("Toronto")));
    }
}
