//! The index's copy clusters: every article that has a copy in the index (`crate::dedup`'s
//! rules), grouped so that an article and all its copies share a cluster. Written after each
//! run that changes the index, for the segments that run leaves; read by searches to name a
//! hit's copies among the matches without scanning every article's signature.
//!
//! A query's copies were found by reading both signature columns of every article and testing
//! each against the page's hits: a third of the instructions of a phrase query on 100,000
//! articles. Copies are a property of the index, not of the query: only the members of the
//! hits' clusters can be copies of them, and only those few are checked against the query.
//!
//! The file names the segments (and their deletions) it was computed on; a searcher over other
//! segments (a later run, an interrupted one, a merge in progress) does not use it.

use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use crate::dedup::{self, Signature};
use crate::error::{Error, Result};
use crate::search::facets::Signatures;

use super::Cursor;
use super::schema::{Fields, KIND_ARTICLE};

/// File name inside the index folder.
pub const FILE: &str = "newsdex-copies.bin";

const MAGIC: &[u8; 8] = b"NDCOPY2\n";
/// cluster, segment ordinal, document (u32 each), fingerprint, near and confirming signature
/// (u64 each).
const RECORD: usize = 36;
/// uuid (32 hex digits), max_doc, deleted documents.
const SEGMENT: usize = 40;

/// An article with a copy, and its cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Member {
    /// Cluster number; copies are always in one cluster.
    cluster: u32,
    /// The article.
    addr: DocAddress,
    /// Its signature.
    sig: Signature,
}

/// The copy clusters of one state of the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyTable {
    /// (uuid, max_doc, deleted) of each segment, in the searcher's order.
    segments: Vec<(String, u32, u32)>,
    /// Members, by cluster.
    members: Vec<Member>,
}

/// What identifies the segments of `searcher`: a later commit adds segments, merges them or
/// deletes documents, and each changes this.
fn segments_of(searcher: &Searcher) -> Vec<(String, u32, u32)> {
    searcher
        .segment_readers()
        .iter()
        .map(|s| {
            (
                s.segment_id().uuid_string(),
                s.max_doc(),
                s.num_deleted_docs(),
            )
        })
        .collect()
}

impl CopyTable {
    /// The clusters of the articles `searcher` sees.
    pub fn compute(searcher: &Searcher, f: &Fields) -> Result<CopyTable> {
        let articles = TermQuery::new(
            Term::from_field_text(f.kind, KIND_ARTICLE),
            IndexRecordOption::Basic,
        );
        let all = searcher.search(&articles, &Signatures)?;
        Ok(Self::from_signatures(segments_of(searcher), &all))
    }

    fn from_signatures(
        segments: Vec<(String, u32, u32)>,
        all: &[(DocAddress, Signature)],
    ) -> CopyTable {
        let sigs: Vec<Signature> = all.iter().map(|(_, s)| *s).collect();
        let groups = dedup::groups(&sigs);
        // Exact copies of one text are inside that text's near group when it has one.
        let in_near: FxHashSet<usize> = groups.near.iter().flatten().copied().collect();
        let clusters = groups
            .near
            .iter()
            .chain(groups.exact.iter().filter(|g| !in_near.contains(&g[0])));
        let mut members = Vec::new();
        for (c, group) in clusters.enumerate() {
            for &i in group {
                members.push(Member {
                    cluster: u32::try_from(c).unwrap_or(u32::MAX),
                    addr: all[i].0,
                    sig: all[i].1,
                });
            }
        }
        CopyTable { segments, members }
    }

    /// Whether the table was computed on the segments `searcher` reads.
    pub fn fits(&self, searcher: &Searcher) -> bool {
        self.segments == segments_of(searcher)
    }

    /// The articles in the clusters of `hits` (the hits themselves included), in document
    /// order. A hit without copies is in no cluster.
    pub fn clusters_of(&self, hits: &[DocAddress]) -> Vec<(DocAddress, Signature)> {
        let hits: FxHashSet<DocAddress> = hits.iter().copied().collect();
        let wanted: FxHashSet<u32> = self
            .members
            .iter()
            .filter(|m| hits.contains(&m.addr))
            .map(|m| m.cluster)
            .collect();
        let mut out: Vec<(DocAddress, Signature)> = self
            .members
            .iter()
            .filter(|m| wanted.contains(&m.cluster))
            .map(|m| (m.addr, m.sig))
            .collect();
        out.sort_unstable_by_key(|(a, _)| *a);
        out
    }

    /// A test of whether the article at an address has a copy (the members gathered once,
    /// for testing every match of a search).
    pub fn has_copies(&self) -> impl Fn(&DocAddress) -> bool + '_ {
        let members: FxHashSet<DocAddress> = self.members.iter().map(|m| m.addr).collect();
        move |addr| members.contains(addr)
    }

    /// The signature of every article that has a copy, by address. An article not in it has no
    /// copy among the articles of the segments the table was computed on.
    pub fn signatures(&self) -> FxHashMap<DocAddress, Signature> {
        self.members.iter().map(|m| (m.addr, m.sig)).collect()
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut b =
            Vec::with_capacity(16 + self.segments.len() * SEGMENT + self.members.len() * RECORD);
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&(self.segments.len() as u32).to_le_bytes());
        for (uuid, max_doc, deleted) in &self.segments {
            let mut id = [b'0'; 32];
            let n = uuid.len().min(32);
            id[..n].copy_from_slice(&uuid.as_bytes()[..n]);
            b.extend_from_slice(&id);
            b.extend_from_slice(&max_doc.to_le_bytes());
            b.extend_from_slice(&deleted.to_le_bytes());
        }
        b.extend_from_slice(&(self.members.len() as u32).to_le_bytes());
        for m in &self.members {
            b.extend_from_slice(&m.cluster.to_le_bytes());
            b.extend_from_slice(&m.addr.segment_ord.to_le_bytes());
            b.extend_from_slice(&m.addr.doc_id.to_le_bytes());
            b.extend_from_slice(&m.sig.exact.to_le_bytes());
            b.extend_from_slice(&m.sig.near.to_le_bytes());
            b.extend_from_slice(&m.sig.confirm.to_le_bytes());
        }
        b
    }

    fn from_bytes(b: &[u8]) -> Option<CopyTable> {
        let mut r = Cursor(b);
        if r.take(MAGIC.len())? != MAGIC {
            return None;
        }
        let n = r.u32()? as usize;
        let mut segments = Vec::with_capacity(n.min(b.len() / SEGMENT));
        for _ in 0..n {
            let id = std::str::from_utf8(r.take(32)?).ok()?.to_string();
            segments.push((id, r.u32()?, r.u32()?));
        }
        let n = r.u32()? as usize;
        let mut members = Vec::with_capacity(n.min(b.len() / RECORD));
        for _ in 0..n {
            let cluster = r.u32()?;
            let addr = DocAddress::new(r.u32()?, r.u32()?);
            let sig = Signature {
                exact: r.u64()?,
                near: r.u64()?,
                confirm: r.u64()?,
            };
            // Every member is a document of the segments named: a search looks it up there.
            let (_, max_doc, _) = segments.get(addr.segment_ord as usize)?;
            if addr.doc_id >= *max_doc {
                return None;
            }
            members.push(Member { cluster, addr, sig });
        }
        r.0.is_empty().then_some(CopyTable { segments, members })
    }

    /// Writes the table to `dir/`[`FILE`] (a temporary file renamed over it, so a reader never
    /// sees half of one).
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(FILE);
        let tmp = dir.join(format!("{FILE}.tmp"));
        std::fs::write(&tmp, self.to_bytes()).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
    }

    /// Reads `dir/`[`FILE`]: `None` when there is none or it cannot be read or is damaged, so
    /// that a search falls back to scanning the signatures.
    pub fn load(dir: &Path) -> Option<CopyTable> {
        Self::from_bytes(&std::fs::read(dir.join(FILE)).ok()?)
    }

    /// The table of `dir` when it fits `searcher`.
    pub fn load_fitting(dir: &Path, searcher: &Searcher) -> Option<CopyTable> {
        Self::load(dir).filter(|t| t.fits(searcher))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signature whose confirming half agrees with every other's: these tests are about
    /// clusters, not the confirmation.
    fn sig(exact: u64, near: u64) -> Signature {
        Signature {
            exact,
            near,
            confirm: 0,
        }
    }

    fn addr(doc: u32) -> DocAddress {
        DocAddress::new(0, doc)
    }

    /// Docs 0-2: one text and an exact copy, plus a near copy (3 bits off); 3 and 4: an exact
    /// pair with nothing near; 5: alone; 6: 12 bits off doc 0 (not a copy), 7: near doc 6.
    fn table() -> CopyTable {
        let base = 0x0123_4567_89ab_cdef_u64;
        let all: Vec<(DocAddress, Signature)> = [
            sig(1, base),
            sig(1, base),
            sig(2, base ^ 0b111),
            sig(3, !base),
            sig(3, !base),
            sig(4, 0x5555_0000_ffff_aaaa),
            sig(5, base ^ 0xfff0),
            sig(6, base ^ 0xfff0 ^ 0b1),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, s)| (addr(i as u32), s))
        .collect();
        CopyTable::from_signatures(vec![("a".repeat(32), 8, 0)], &all)
    }

    #[test]
    fn a_cluster_holds_an_article_and_all_its_copies() {
        let t = table();
        assert_eq!(t.members.len(), 7, "all but the article alone");
        let docs = |hits: &[u32]| -> Vec<u32> {
            let hits: Vec<DocAddress> = hits.iter().map(|&d| addr(d)).collect();
            t.clusters_of(&hits).iter().map(|(a, _)| a.doc_id).collect()
        };
        assert_eq!(docs(&[2]), [0, 1, 2]);
        assert_eq!(docs(&[4]), [3, 4]);
        assert_eq!(docs(&[5]), Vec::<u32>::new());
        assert_eq!(docs(&[7]), [6, 7]);
        assert_eq!(docs(&[0, 3]), [0, 1, 2, 3, 4]);
        // Every copy of a member is in its cluster.
        let sigs: Vec<(DocAddress, Signature)> =
            t.clusters_of(&(0..8).map(addr).collect::<Vec<_>>());
        for &(a, x) in &sigs {
            for &(b, y) in &sigs {
                if dedup::copy_kind(x, y).is_some() {
                    assert!(docs(&[a.doc_id]).contains(&b.doc_id), "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn bytes_round_trip_and_damage_is_refused() {
        let t = table();
        let b = t.to_bytes();
        assert_eq!(CopyTable::from_bytes(&b), Some(t.clone()));
        assert_eq!(CopyTable::from_bytes(&b[..b.len() - 1]), None);
        assert_eq!(CopyTable::from_bytes(&[b.as_slice(), &[0]].concat()), None);
        assert_eq!(CopyTable::from_bytes(b"NDCOPY2\n\xff\xff\xff\xff"), None);
        assert_eq!(CopyTable::from_bytes(b""), None);
        // A member outside the segments named (segment 1 of 1, or document 8 of 8).
        let mut bad = t.clone();
        bad.members[0].addr = DocAddress::new(1, 0);
        assert_eq!(CopyTable::from_bytes(&bad.to_bytes()), None);
        bad.members[0].addr = DocAddress::new(0, 8);
        assert_eq!(CopyTable::from_bytes(&bad.to_bytes()), None);
    }
}
