//! Counting matches by facet, for searches that match much of the index.
//!
//! tantivy's `FacetCollector` decodes each matching document's facets from
//! the column store as it goes: for a common word that matches hundreds of
//! thousands of documents this was some 40% of a search's time. Here each
//! segment's facets are read once into a plain array (the number of each
//! document's combination of facets), kept while the segment lives, and a
//! search counts with one array read a document. The counts are the same,
//! exact; the cost is 4 bytes a document, and one pass over a segment the
//! first time it is searched.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Every document's facets in one segment, as the number of its
/// combination: documents share few combinations (a kind, a country, a
/// topic, a year), so a search counts one number a document and spreads
/// the counts over the facets once at the end.
struct SegmentFacets {
    /// Document `d`'s combination.
    combination: Vec<u32>,
    /// Each combination's facet ordinals.
    combinations: Vec<Vec<u32>>,
    /// Each ordinal's facet as (dimension, value); `None` for facets that
    /// are not two levels deep (no such facet is indexed, but a count is
    /// never made up for one).
    names: Vec<Option<(String, String)>>,
}

impl SegmentFacets {
    fn read(reader: &SegmentReader, field: &str) -> tantivy::Result<SegmentFacets> {
        let facets = reader.facet_reader(field)?;
        let max_doc = reader.max_doc();
        let mut combination = Vec::with_capacity(max_doc as usize);
        let mut combinations: Vec<Vec<u32>> = Vec::new();
        let mut numbered: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut ords = Vec::new();
        for doc in 0..max_doc {
            ords.clear();
            ords.extend(facets.facet_ords(doc).map(|o| o as u32));
            let n = match numbered.get(&ords) {
                Some(n) => *n,
                None => {
                    let n = combinations.len() as u32;
                    numbered.insert(ords.clone(), n);
                    combinations.push(ords.clone());
                    n
                }
            };
            combination.push(n);
        }
        let mut names = Vec::with_capacity(facets.num_facets());
        let mut facet = Facet::root();
        for ord in 0..facets.num_facets() as u64 {
            facets.facet_from_ord(ord, &mut facet)?;
            let path = facet.to_path();
            names.push(match path.as_slice() {
                [dimension, value] => Some((dimension.to_string(), value.to_string())),
                _ => None,
            });
        }
        Ok(SegmentFacets {
            combination,
            combinations,
            names,
        })
    }
}

/// The segments' facet arrays, by segment, for as long as the segment is
/// searched.
#[derive(Default)]
pub(crate) struct FacetCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

impl FacetCache {
    fn get(&self, reader: &SegmentReader, field: &str) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = reader.segment_id();
        if let Some(found) = self.lock().get(&id) {
            return Ok(found.clone());
        }
        // Read outside the lock: another search may read the same segment
        // meanwhile, and one of the two results is kept.
        let read = Arc::new(SegmentFacets::read(reader, field)?);
        Ok(self.lock().entry(id).or_insert(read).clone())
    }

    /// Forgets segments no longer searched (merged away or deleted).
    pub(crate) fn keep_only(&self, live: &[SegmentId]) {
        self.lock().retain(|id, _| live.contains(id));
    }

    /// Reads the arrays of segments not read yet, so that no search pays
    /// for them.
    pub(crate) fn read_new(&self, readers: &[SegmentReader], field: &str) -> tantivy::Result<()> {
        for reader in readers {
            self.get(reader, field)?;
        }
        Ok(())
    }

    /// How many segments' arrays are held.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentFacets>>> {
        // The map holds only derived arrays; one left by a panicking
        // search is still whole.
        self.segments.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Counts of the matches by (dimension, value).
pub(crate) type Counts = HashMap<(String, String), u64>;

/// A collector of facet counts through a [`FacetCache`].
pub(crate) struct FacetCounter<'a> {
    pub(crate) cache: &'a FacetCache,
    pub(crate) field: &'a str,
}

pub(crate) struct SegmentCounter {
    facets: Arc<SegmentFacets>,
    counts: Vec<u64>,
}

impl Collector for FacetCounter<'_> {
    type Fruit = Counts;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCounter> {
        let facets = self.cache.get(reader, self.field)?;
        Ok(SegmentCounter {
            counts: vec![0; facets.combinations.len()],
            facets,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut all = Counts::new();
        for fruit in fruits {
            for (key, n) in fruit {
                *all.entry(key).or_insert(0) += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(&c) = self.facets.combination.get(doc as usize) {
            self.counts[c as usize] += 1;
        }
    }

    fn harvest(self) -> Counts {
        let f = &*self.facets;
        let mut by_ord = vec![0u64; f.names.len()];
        for (n, ords) in self.counts.iter().zip(&f.combinations) {
            if *n > 0 {
                for &ord in ords {
                    by_ord[ord as usize] += n;
                }
            }
        }
        by_ord
            .iter()
            .zip(&f.names)
            .filter(|(n, _)| **n > 0)
            .filter_map(|(n, name)| Some((name.clone()?, *n)))
            .collect()
    }
}
