//! Recent failed sign-ins, and the lockout they make: by account and
//! address together, by address, and by account (the bounds are in
//! `auth`). Bounded by design, and lifted by an admin for an account.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// How long a failure counts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// The most failures any one key keeps: the highest bound.
pub const KEPT_FAILURES: usize = crate::auth::MAX_FAILURES_PER_ACCOUNT;

/// How many keys (names and addresses) recent failures are kept for. A
/// flood of sign-ins with new names past it forgets the oldest failures
/// first, never the server's memory.
pub const MAX_FAILURE_KEYS: usize = 100_000;

/// Recent failed sign-ins, by key (`pair:NAME\nADDRESS`, `addr:…`,
/// `name:…`). A key is kept as a 64-bit hash (random per process, so no
/// one can aim at another key's slot), whatever the length of the name
/// tried; a key holds at most [`KEPT_FAILURES`] times, forgotten after
/// [`WINDOW`]; at most [`MAX_FAILURE_KEYS`] keys are kept; checking a key
/// records nothing.
#[derive(Debug, Default)]
pub struct Failures {
    hasher: std::hash::RandomState,
    recent: std::sync::Mutex<HashMap<u64, Kept>>,
}

/// The failures of one key, and the account they were against (the slot
/// of its `name:` key; none for an address's): what an admin's unlock
/// finds.
#[derive(Debug, Default)]
struct Kept {
    account: Option<u64>,
    times: VecDeque<Instant>,
}

/// The account name a key is about: `pair:` and `name:` keys have one.
fn account_of(key: &str) -> Option<&str> {
    if let Some(rest) = key.strip_prefix("pair:") {
        return rest.split_once('\n').map(|(name, _)| name);
    }
    key.strip_prefix("name:")
}

impl Failures {
    fn slot(&self, key: &str) -> u64 {
        std::hash::BuildHasher::hash_one(&self.hasher, key)
    }

    fn account_slot(&self, name: &str) -> u64 {
        self.slot(&format!("name:{name}"))
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Kept>> {
        crate::held::lock(&self.recent)
    }

    /// Failures of this key in the window.
    pub fn recent(&self, key: &str) -> usize {
        let slot = self.slot(key);
        let mut all = self.map();
        let Some(kept) = all.get_mut(&slot) else {
            return 0;
        };
        kept.times.retain(|t| t.elapsed() < WINDOW);
        let n = kept.times.len();
        if n == 0 {
            all.remove(&slot);
        }
        n
    }

    /// Records a failure of this key.
    pub fn note(&self, key: &str) {
        let slot = self.slot(key);
        let account = account_of(key).map(|name| self.account_slot(name));
        let mut all = self.map();
        if all.len() >= MAX_FAILURE_KEYS && !all.contains_key(&slot) {
            all.retain(|_, kept| {
                kept.times.retain(|t| t.elapsed() < WINDOW);
                !kept.times.is_empty()
            });
            if all.len() >= MAX_FAILURE_KEYS {
                // Still full of recent failures: the tenth that failed longest
                // ago goes at once, so a flood pays this scan once in many.
                let mut by_age: Vec<(Option<Instant>, u64)> = all
                    .iter()
                    .map(|(k, kept)| (kept.times.back().copied(), *k))
                    .collect();
                let cut = MAX_FAILURE_KEYS / 10;
                by_age.select_nth_unstable(cut);
                for (_, k) in &by_age[..cut] {
                    all.remove(k);
                }
            }
        }
        let kept = all.entry(slot).or_default();
        kept.account = account;
        kept.times.push_back(Instant::now());
        while kept.times.len() > KEPT_FAILURES {
            kept.times.pop_front();
        }
    }

    /// Forgets this key's failures.
    pub fn clear(&self, key: &str) {
        let slot = self.slot(key);
        self.map().remove(&slot);
    }

    /// An admin's unlock: forgets every failure against this account, from
    /// every address. Returns how many keys were forgotten.
    pub fn unlock(&self, name: &str) -> usize {
        let account = Some(self.account_slot(name));
        let mut all = self.map();
        let before = all.len();
        all.retain(|_, kept| kept.account != account);
        before - all.len()
    }

    /// How many keys are kept (for the tests of its bounds).
    #[cfg(test)]
    fn keys(&self) -> usize {
        self.map().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::MAX_FAILURES;

    #[test]
    fn failed_sign_ins_are_kept_within_bounds() {
        let f = Failures::default();
        // Checking records nothing: a locked-out flood keeps no names.
        let huge = "x".repeat(1 << 20);
        for i in 0..300 {
            assert_eq!(f.recent(&format!("name:{huge}{i}")), 0);
        }
        assert_eq!(f.keys(), 0);
        // One key holds at most its highest bound, and still locks.
        for _ in 0..500 {
            f.note("name:ada");
        }
        assert_eq!(f.recent("name:ada"), KEPT_FAILURES);
        const { assert!(KEPT_FAILURES >= MAX_FAILURES) };
        f.clear("name:ada");
        assert_eq!(f.recent("name:ada"), 0);
        // New names past the bound forget the oldest, not the memory.
        for i in 0..MAX_FAILURE_KEYS + 10 {
            f.note(&format!("name:{i}"));
        }
        assert!(f.keys() <= MAX_FAILURE_KEYS, "{} keys", f.keys());
        assert_eq!(f.recent(&format!("name:{}", MAX_FAILURE_KEYS + 9)), 1);
    }

    #[test]
    fn an_unlock_forgets_an_account_from_every_address_and_nothing_else() {
        let f = Failures::default();
        for addr in ["10.0.0.1", "10.0.0.2"] {
            for _ in 0..MAX_FAILURES {
                f.note(&format!("pair:root\n{addr}"));
                f.note(&format!("addr:{addr}"));
                f.note("name:root");
                f.note(&format!("pair:ann\n{addr}"));
            }
        }
        assert_eq!(f.unlock("root"), 3);
        assert_eq!(f.recent("pair:root\n10.0.0.1"), 0);
        assert_eq!(f.recent("pair:root\n10.0.0.2"), 0);
        assert_eq!(f.recent("name:root"), 0);
        // Another account's lock, and each address's count, stay.
        assert_eq!(f.recent("pair:ann\n10.0.0.1"), MAX_FAILURES);
        assert_eq!(f.recent("addr:10.0.0.2"), MAX_FAILURES);
        assert_eq!(f.unlock("nobody"), 0);
    }
}
