//! Approximate string search: Myers' bit-parallel algorithm (1999) in
//! Hyyrö's block form, over code points, finding where a pattern occurs in a
//! text with at most `k` edits (insertions, deletions, substitutions).
//!
//! Hand-written: the maintained Rust implementation (rust-bio's `myers`)
//! works on bytes, and a quotation in Hebrew or with accents must count one
//! edit per changed character, not per changed UTF-8 byte.

use std::collections::HashMap;

const W: usize = 64;

/// A pattern compiled for searching.
pub struct Pattern {
    m: usize,
    blocks: usize,
    /// Row of `peq` for each character; row 0 is all zeros (not in the pattern).
    rows: HashMap<char, usize>,
    ascii: [usize; 128],
    peq: Vec<u64>,
}

impl Pattern {
    pub fn new(pattern: &[char]) -> Self {
        let m = pattern.len();
        let blocks = m.div_ceil(W).max(1);
        let mut rows: HashMap<char, usize> = HashMap::new();
        let mut ascii = [0usize; 128];
        let mut peq = vec![0u64; blocks];
        for (i, &c) in pattern.iter().enumerate() {
            let next = rows.len() + 1;
            let row = *rows.entry(c).or_insert_with(|| {
                peq.extend(std::iter::repeat_n(0, blocks));
                next
            });
            if (c as u32) < 128 {
                ascii[c as usize] = row;
            }
            peq[row * blocks + i / W] |= 1u64 << (i % W);
        }
        Pattern {
            m,
            blocks,
            rows,
            ascii,
            peq,
        }
    }

    fn row(&self, c: char) -> usize {
        if (c as u32) < 128 {
            self.ascii[c as usize]
        } else {
            self.rows.get(&c).copied().unwrap_or(0)
        }
    }

    pub fn len(&self) -> usize {
        self.m
    }

    pub fn is_empty(&self) -> bool {
        self.m == 0
    }

    /// Ends (exclusive indexes into `text`) where the pattern matches with at
    /// most `k` errors, one per run of neighbouring matches (the run's best),
    /// with the error count.
    pub fn search(&self, text: &[char], k: usize) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        if self.m == 0 {
            return out;
        }
        let b = self.blocks;
        let mut pv = vec![!0u64; b];
        let mut mv = vec![0u64; b];
        let last_bit = 1u64 << ((self.m - 1) % W);
        let mut score = self.m;
        // The current run of ends within k: (best end, best errors, last end seen).
        let mut run: Option<(usize, usize, usize)> = None;
        for (j, &c) in text.iter().enumerate() {
            let row = self.row(c) * b;
            let mut h_in: i32 = 0;
            for blk in 0..b {
                let mask = if blk == b - 1 {
                    last_bit
                } else {
                    1u64 << (W - 1)
                };
                let neg = u64::from(h_in < 0);
                let eq = self.peq[row + blk] | neg;
                let (p, mm) = (pv[blk], mv[blk]);
                let xv = eq | mm;
                let xh = ((eq & p).wrapping_add(p) ^ p) | eq;
                let mut ph = mm | !(xh | p);
                let mut mh = p & xh;
                let h_out = i32::from(ph & mask != 0) - i32::from(mh & mask != 0);
                ph <<= 1;
                mh <<= 1;
                mh |= neg;
                ph |= u64::from(h_in > 0);
                pv[blk] = mh | !(xv | ph);
                mv[blk] = ph & xv;
                h_in = h_out;
            }
            score = (score as i64 + i64::from(h_in)).max(0) as usize;
            let end = j + 1;
            if score <= k {
                run = match run {
                    Some((best, errs, last)) if end == last + 1 => {
                        if score < errs {
                            Some((end, score, end))
                        } else {
                            Some((best, errs, end))
                        }
                    }
                    Some((best, errs, _)) => {
                        out.push((best, errs));
                        Some((end, score, end))
                    }
                    None => Some((end, score, end)),
                };
            }
        }
        if let Some((best, errs, _)) = run {
            out.push((best, errs));
        }
        out
    }
}

/// Where the best alignment of `pattern` ending at `end` starts, and its
/// errors: edit distance of the pattern against `text[start..end]`, the
/// start free within `k` of the pattern's length.
pub fn best_start(pattern: &[char], text: &[char], end: usize, k: usize) -> (usize, usize) {
    let m = pattern.len();
    let lo = end.saturating_sub(m + k);
    // Reversed: the pattern's last char against text[end-1], going left.
    let window: Vec<char> = text[lo..end].iter().rev().copied().collect();
    let rev: Vec<char> = pattern.iter().rev().copied().collect();
    let n = window.len();
    // prev[j]: distance of rev[..i] against window[..j].
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur = vec![0usize; n + 1];
    for i in 1..=m {
        cur[0] = i;
        for j in 1..=n {
            let sub = prev[j - 1] + usize::from(rev[i - 1] != window[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    // Fewest errors; among equals, the length nearest the pattern's.
    let (j, errs) = prev
        .iter()
        .enumerate()
        .min_by_key(|&(j, &d)| (d, j.abs_diff(m)))
        .map(|(j, &d)| (j, d))
        .unwrap_or((0, m));
    (end - j, errs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn finds_exact_and_approximate() {
        let p = Pattern::new(&chars("hello"));
        let t = chars("say hello and helo there");
        let hits = p.search(&t, 1);
        assert_eq!(hits[0], (9, 0));
        assert!(hits.iter().any(|&(e, d)| e == 18 && d == 1));
        assert_eq!(best_start(&chars("hello"), &t, 9, 1), (4, 0));
    }

    #[test]
    fn long_patterns_span_blocks() {
        let quote = "a long quotation that runs over more than sixty four characters, so it needs two blocks";
        let text = format!("prefix text {} suffix", quote.replace("runs", "ran"));
        let (p, t) = (chars(quote), chars(&text));
        let hits = Pattern::new(&p).search(&t, 10);
        let best = hits.iter().min_by_key(|h| h.1).unwrap();
        assert_eq!(best.1, 2);
        let (start, errs) = best_start(&p, &t, best.0, 10);
        assert_eq!(errs, 2);
        assert_eq!(start, 12);
    }

    #[test]
    fn agrees_with_dynamic_programming() {
        // Compare against the plain DP for many small cases.
        let alphabet = ['a', 'b', 'c', 'ש'];
        let mut seed = 7u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..300 {
            let m = 1 + (next() % 80) as usize;
            let n = (next() % 120) as usize;
            let p: Vec<char> = (0..m).map(|_| alphabet[(next() % 4) as usize]).collect();
            let t: Vec<char> = (0..n).map(|_| alphabet[(next() % 4) as usize]).collect();
            // DP: min edit distance of p against any substring ending at each j.
            let mut col: Vec<usize> = (0..=m).collect();
            let mut dp_min = vec![0usize; n];
            for j in 0..n {
                let mut prev_diag = col[0];
                col[0] = 0;
                for i in 1..=m {
                    let tmp = col[i];
                    col[i] = (prev_diag + usize::from(p[i - 1] != t[j]))
                        .min(col[i] + 1)
                        .min(col[i - 1] + 1);
                    prev_diag = tmp;
                }
                dp_min[j] = col[m];
            }
            let k = m; // every end qualifies: compare run minima
            let pat = Pattern::new(&p);
            let hits = pat.search(&t, k);
            for &(e, d) in &hits {
                assert_eq!(d, dp_min[e - 1]);
            }
            if n > 0 {
                let best = hits.iter().map(|h| h.1).min().unwrap();
                assert_eq!(best, *dp_min.iter().min().unwrap());
            }
        }
    }
}
