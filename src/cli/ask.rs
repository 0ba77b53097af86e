//! Questions on a terminal, for what a command needs and was not given (the
//! department and locations of `openings new`). Only when both stdin and
//! stderr are terminals: on a pipe or in CI a command never waits for an answer.

use crate::config::Location;
use std::io::{BufRead, IsTerminal, Write};

/// How many times a question is asked again after an answer it cannot use.
const TRIES: usize = 3;

/// True when a person can answer: stdin and stderr are both terminals.
pub(super) fn can_ask() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks `question` until the answer is not empty; `None` when stdin ends.
pub(super) fn text(question: &str) -> Option<String> {
    for _ in 0..TRIES {
        let answer = line(&format!("{question}: "))?;
        if !answer.is_empty() {
            return Some(answer);
        }
    }
    None
}

/// Asks which of `locations` a role is in: numbers or keys, comma-separated.
pub(super) fn locations(locations: &[Location]) -> Option<Vec<String>> {
    eprintln!("Where is this role? The locations of site.toml:");
    let width = locations.iter().map(|l| l.key.len()).max().unwrap_or(0);
    for (n, location) in locations.iter().enumerate() {
        eprintln!("  {:>2}. {:width$}  {}", n + 1, location.key, location.name);
    }
    for _ in 0..TRIES {
        let answer = line("Number or key (several: 1,3): ")?;
        match pick(&answer, locations) {
            Ok(keys) => return Some(keys),
            Err(why) => eprintln!("{why}"),
        }
    }
    None
}

/// The keys an answer names, or what is wrong with it.
fn pick(answer: &str, locations: &[Location]) -> Result<Vec<String>, String> {
    let mut keys = Vec::new();
    for word in answer.split([',', ' ']).filter(|w| !w.is_empty()) {
        let found = match word.parse::<usize>() {
            Ok(n) if (1..=locations.len()).contains(&n) => Some(&locations[n - 1]),
            Ok(_) => None,
            Err(_) => locations.iter().find(|l| l.key == word),
        };
        match found {
            Some(location) if !keys.contains(&location.key) => keys.push(location.key.clone()),
            Some(_) => {}
            None => return Err(format!("`{word}` is not one of the numbers or keys above")),
        }
    }
    if keys.is_empty() {
        return Err("name at least one location".to_string());
    }
    Ok(keys)
}

/// Prints `prompt` and reads one trimmed line; `None` at the end of input.
fn line(prompt: &str) -> Option<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    match std::io::stdin().lock().read_line(&mut answer) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(answer.trim().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(key: &str) -> Location {
        Location {
            key: key.to_string(),
            name: key.to_uppercase(),
            city: None,
            region: None,
            country: "DE".to_string(),
            street: None,
            postal_code: None,
        }
    }

    #[test]
    fn answers_are_numbers_or_keys() {
        let all = [location("berlin"), location("lisbon"), location("remote")];
        assert_eq!(pick("2", &all).unwrap(), ["lisbon"]);
        assert_eq!(pick("1, remote,1", &all).unwrap(), ["berlin", "remote"]);
        assert!(pick("4", &all).unwrap_err().contains("`4`"));
        assert!(pick("paris", &all).unwrap_err().contains("`paris`"));
        assert!(pick(" ", &all).is_err());
    }
}
