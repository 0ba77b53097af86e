//! Element ids of a rendered body: headings and footnotes share one set, so no
//! two elements of a page have the same id.

use std::collections::HashSet;

/// `wanted`, or `wanted-1`, `wanted-2`... when it is taken; recorded in `used`.
pub fn unique_id(wanted: String, used: &mut HashSet<String>) -> String {
    let mut id = wanted.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{wanted}-{n}");
        n += 1;
    }
    id
}
