//! Latent semantic analysis over the indexed articles, for `related`: the few directions of the
//! term-by-article matrix along which a news archive's words co-occur, its broad sections
//! (politics, business, sport…). Two stories told in different words still come out close along
//! them, and a story that shares a rare word with another section does not.
//!
//! The basis is computed at index time from the body field's postings, on a sample of at most
//! [`MAX_SAMPLE`] articles, with a randomized range finder: `Q = orth((X·Xᵀ)²·X·Ω)`,
//! `B = Qᵀ·X`, where `X` holds the articles' unit tf-idf rows; the eigenvectors `U` of `B·Bᵀ`
//! give the top right singular vectors `V = Bᵀ·U·Σ⁻¹`, and a text's unit tf-idf vector `x` has
//! the coordinates `x·V` (a row of [`DIMS`] numbers per term is all a search needs); it is saved next to the index as [`FILE`]. Everything runs in a fixed order from a
//! fixed seed: the same index gives the same basis.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use rustc_hash::FxHashMap;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocSet, Searcher, TERMINATED, Term};

use super::Cursor;

use crate::error::{Error, Result};

fn io(e: std::io::Error) -> Error {
    tantivy::TantivyError::from(e).into()
}

/// Directions kept. Few on purpose: the first directions are an archive's sections; more of
/// them split sections into stories, which the term vectors already tell apart (measured on
/// BBC's five sections and on same-event clusters: 8 ranks best on both).
pub const DIMS: usize = 8;
/// Extra directions the range finder carries so that the first [`DIMS`] come out exact.
const OVERSAMPLE: usize = 16;
/// Passes of `X·Xᵀ` over the range.
const POWER_ITERATIONS: usize = 2;
/// The file in the index folder.
pub const FILE: &str = "newsdex-lsa.bin";
/// An index with fewer articles has no sections to find.
pub const MIN_ARTICLES: usize = 100;
/// At most this many terms, the most frequent, keep a row: the file stays small however large
/// the vocabulary, and rare terms say little about co-occurrence.
const MAX_TERMS: usize = 50_000;
const MAGIC: &[u8; 8] = b"NXLSA01\n";
/// Articles sampled to find them: enough for the vocabulary of a news archive, and the cost
/// stays flat however large the archive grows.
pub const MAX_SAMPLE: usize = 10_000;
/// Terms in fewer articles than this tell nothing about co-occurrence.
const MIN_DF: u32 = 3;

/// One row of `DIMS` numbers per term, kept as the bytes of its file: a search looks up a few
/// thousand terms by binary search, which costs less than building a map of all of them.
///
/// Layout: the magic bytes `NXLSA01\n`, `DIMS` and the number of terms `n` (u32 LE), `n`
/// offsets (u32 LE) of the records in term order, then the records: term length (u32 LE), term
/// bytes, `DIMS` f32 LE.
#[derive(Debug, Clone, PartialEq)]
pub struct Basis {
    bytes: Vec<u8>,
    n: usize,
}

const HEADER: usize = 16;

/// A sparse matrix stored by column (term): `(row, weight)` pairs.
struct Columns {
    terms: Vec<String>,
    cols: Vec<Vec<(u32, f32)>>,
    n_rows: usize,
}

impl Basis {
    /// Computes the basis from the articles of `searcher`'s index; `None` when there are too
    /// few articles or terms for `DIMS` directions to mean anything.
    pub fn compute(
        searcher: &Searcher,
        body: Field,
        kind: Field,
        article: &str,
    ) -> Result<Option<Basis>> {
        Ok(sample_matrix(searcher, body, kind, article)?.and_then(Self::from_columns))
    }

    /// The basis of a sample matrix; `None` when it is degenerate.
    fn from_columns(x: Columns) -> Option<Basis> {
        let l = DIMS + OVERSAMPLE;
        let omega = |j: usize, out: &mut [f32]| {
            let mut s = (j as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
            for v in out.iter_mut() {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                *v = ((s >> 40) as f32 / (1u64 << 24) as f32) - 0.5;
            }
        };
        let mut y = vec![0f32; x.n_rows * l];
        let mut om = vec![0f32; l];
        for (j, col) in x.cols.iter().enumerate() {
            omega(j, &mut om);
            for &(r, w) in col {
                axpy(&mut y[r as usize * l..][..l], w, &om);
            }
        }
        orthonormalize(&mut y, x.n_rows, l);
        // Power iterations sharpen the range towards the largest directions; orthonormalizing
        // between them keeps the small ones from drowning in rounding.
        for _ in 0..POWER_ITERATIONS {
            let z = x.t_times(&y, l);
            y = x.times(&z, l);
            orthonormalize(&mut y, x.n_rows, l);
        }
        // B = Qᵀ X, stored as Bᵀ: one row of l per term.
        let bt = x.t_times(&y, l);
        let mut g = vec![0f64; l * l];
        for b in bt.chunks_exact(l) {
            for i in 0..l {
                let bi = f64::from(b[i]);
                for k in 0..l {
                    g[i * l + k] += bi * f64::from(b[k]);
                }
            }
        }
        // B Bᵀ = U Σ² Uᵀ; the top DIMS right singular vectors of B are Bᵀ U Σ⁻¹.
        let (values, vectors) = symmetric_eigen(g, l);
        let mut order: Vec<usize> = (0..l).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
        let top = &order[..DIMS];
        if values[top[DIMS - 1]] <= 1e-9 {
            return None;
        }
        let mut rows = Vec::with_capacity(x.terms.len());
        for (term, b) in x.terms.into_iter().zip(bt.chunks_exact(l)) {
            let row = top
                .iter()
                .map(|&k| {
                    let dot: f64 = (0..l).map(|i| f64::from(b[i]) * vectors[i * l + k]).sum();
                    (dot / values[k].sqrt()) as f32
                })
                .collect();
            rows.push((term, row));
        }
        Some(Basis::from_rows(rows))
    }

    /// The unit-length coordinates of a unit tf-idf vector; `None` when none of its terms is
    /// in the basis.
    pub fn embed<'a>(&self, vector: impl IntoIterator<Item = (&'a str, f32)>) -> Option<Vec<f32>> {
        let mut e = vec![0f32; DIMS];
        let mut any = false;
        for (t, w) in vector {
            if let Some(row) = self.row(t) {
                for (e, b) in e.iter_mut().zip(row.chunks_exact(4)) {
                    *e += w * f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                }
                any = true;
            }
        }
        let norm = e.iter().map(|v| v * v).sum::<f32>().sqrt();
        if !any || norm == 0.0 {
            return None;
        }
        e.iter_mut().for_each(|v| *v /= norm);
        Some(e)
    }

    /// Writes the basis to `dir/`[`FILE`] (a temporary file renamed over it, so a reader never
    /// sees half of one).
    pub fn save(&self, dir: &Path) -> Result<()> {
        let out = &self.bytes;
        let path = dir.join(FILE);
        let tmp = dir.join(format!("{FILE}.tmp"));
        std::fs::write(&tmp, out).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
    }

    /// Reads `dir/`[`FILE`]: `Ok(None)` when there is none (an index too small for one, or
    /// built before it existed), an error when it cannot be read or is not a basis.
    pub fn load(dir: &Path) -> Result<Option<Basis>> {
        let path = dir.join(FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        Self::from_bytes(bytes).map(Some).ok_or_else(|| Error::Parse {
            path,
            message: "not a newsdex related-coverage basis; `newsdex index --rebuild` writes a new one".into(),
        })
    }

    /// The basis of these rows (each `DIMS` long).
    fn from_rows(mut rows: Vec<(String, Vec<f32>)>) -> Basis {
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let n = rows.len();
        let mut bytes = Vec::with_capacity(HEADER + n * (16 + 4 * DIMS));
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(DIMS as u32).to_le_bytes());
        bytes.extend_from_slice(&(n as u32).to_le_bytes());
        let mut at = HEADER + 4 * n;
        for (t, _) in &rows {
            bytes.extend_from_slice(&(at as u32).to_le_bytes());
            at += 4 + t.len() + 4 * DIMS;
        }
        for (t, row) in &rows {
            bytes.extend_from_slice(&(t.len() as u32).to_le_bytes());
            bytes.extend_from_slice(t.as_bytes());
            for v in row {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
        }
        Basis { bytes, n }
    }

    /// Checks a file's bytes once (every record in bounds, terms in order), so that lookups
    /// need not.
    fn from_bytes(bytes: Vec<u8>) -> Option<Basis> {
        let mut r = Cursor(bytes.strip_prefix(MAGIC.as_slice())?);
        if r.u32()? as usize != DIMS {
            return None;
        }
        let n = r.u32()? as usize;
        let basis = Basis { bytes, n };
        let mut end = HEADER.checked_add(n.checked_mul(4)?)?;
        let mut prev: Option<&[u8]> = None;
        for i in 0..n {
            let (term, row) = basis.record(i)?;
            if basis.offset(i)? != end || prev.is_some_and(|p| p >= term) {
                return None;
            }
            end += 4 + term.len() + row.len();
            prev = Some(term);
        }
        (end == basis.bytes.len()).then_some(basis)
    }

    fn offset(&self, i: usize) -> Option<usize> {
        let at = HEADER + 4 * i;
        let b = self.bytes.get(at..at + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    /// The term and row bytes of record `i`.
    fn record(&self, i: usize) -> Option<(&[u8], &[u8])> {
        let mut r = Cursor(self.bytes.get(self.offset(i)?..)?);
        let len = r.u32()? as usize;
        Some((r.take(len)?, r.take(4 * DIMS)?))
    }

    /// The row bytes of `term`.
    fn row(&self, term: &str) -> Option<&[u8]> {
        let (mut lo, mut hi) = (0, self.n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let (t, row) = self.record(mid)?;
            match t.cmp(term.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(row),
            }
        }
        None
    }

    /// Terms in the basis.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether the basis has no terms.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
}

/// The cosine of two unit embeddings.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn axpy(y: &mut [f32], a: f32, x: &[f32]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

impl Columns {
    /// `X·Z` for `Z` of one row of `l` per column.
    fn times(&self, z: &[f32], l: usize) -> Vec<f32> {
        let mut out = vec![0f32; self.n_rows * l];
        for (col, zj) in self.cols.iter().zip(z.chunks_exact(l)) {
            for &(r, w) in col {
                axpy(&mut out[r as usize * l..][..l], w, zj);
            }
        }
        out
    }

    /// `Xᵀ·Y` for `Y` of one row of `l` per row of `X`.
    fn t_times(&self, y: &[f32], l: usize) -> Vec<f32> {
        let mut out = vec![0f32; self.cols.len() * l];
        for (col, o) in self.cols.iter().zip(out.chunks_exact_mut(l)) {
            for &(r, w) in col {
                axpy(o, w, &y[r as usize * l..][..l]);
            }
        }
        out
    }
}

/// Modified Gram-Schmidt on the `l` columns of a row-major `n × l` matrix.
fn orthonormalize(y: &mut [f32], n: usize, l: usize) {
    for j in 0..l {
        for k in 0..j {
            let d: f64 = (0..n)
                .map(|r| f64::from(y[r * l + j]) * f64::from(y[r * l + k]))
                .sum();
            for r in 0..n {
                y[r * l + j] -= d as f32 * y[r * l + k];
            }
        }
        let norm: f64 = (0..n)
            .map(|r| f64::from(y[r * l + j]).powi(2))
            .sum::<f64>()
            .sqrt();
        let inv = if norm > 0.0 { (1.0 / norm) as f32 } else { 0.0 };
        for r in 0..n {
            y[r * l + j] *= inv;
        }
    }
}

/// Eigenvalues and eigenvectors (as the columns of a row-major `l × l` matrix) of the
/// symmetric matrix `a`, by cyclic Jacobi rotations: `l` is a few dozen, and Jacobi is simple
/// and accurate at that size.
fn symmetric_eigen(mut a: Vec<f64>, l: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0f64; l * l];
    for i in 0..l {
        v[i * l + i] = 1.0;
    }
    for _sweep in 0..64 {
        let off: f64 = (0..l)
            .flat_map(|i| (0..l).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * l + j] * a[i * l + j])
            .sum();
        let scale: f64 = (0..l).map(|i| a[i * l + i] * a[i * l + i]).sum();
        if off <= 1e-24 * scale.max(f64::MIN_POSITIVE) {
            break;
        }
        for p in 0..l {
            for q in p + 1..l {
                let apq = a[p * l + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[q * l + q] - a[p * l + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..l {
                    let (akp, akq) = (a[k * l + p], a[k * l + q]);
                    a[k * l + p] = c * akp - s * akq;
                    a[k * l + q] = s * akp + c * akq;
                }
                for k in 0..l {
                    let (apk, aqk) = (a[p * l + k], a[q * l + k]);
                    a[p * l + k] = c * apk - s * aqk;
                    a[q * l + k] = s * apk + c * aqk;
                }
                for k in 0..l {
                    let (vkp, vkq) = (v[k * l + p], v[k * l + q]);
                    v[k * l + p] = c * vkp - s * vkq;
                    v[k * l + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..l).map(|i| a[i * l + i]).collect(), v)
}

/// The unit tf-idf rows of a sample of the articles, by term.
fn sample_matrix(
    searcher: &Searcher,
    body: Field,
    kind: Field,
    article: &str,
) -> Result<Option<Columns>> {
    let article = Term::from_field_text(kind, article);
    // Which documents are articles, and which of them are sampled.
    let mut n_articles = 0usize;
    let mut is_article: Vec<Vec<bool>> = Vec::new();
    for seg in searcher.segment_readers() {
        let mut flags = vec![false; seg.max_doc() as usize];
        let inv = seg.inverted_index(kind)?;
        if let Some(mut p) = inv
            .read_postings(&article, IndexRecordOption::Basic)
            .map_err(io)?
        {
            while p.doc() != TERMINATED {
                let d = p.doc();
                if seg.alive_bitset().is_none_or(|a| a.is_alive(d)) {
                    flags[d as usize] = true;
                    n_articles += 1;
                }
                p.advance();
            }
        }
        is_article.push(flags);
    }
    if n_articles < MIN_ARTICLES {
        return Ok(None);
    }
    let step = n_articles.div_ceil(MAX_SAMPLE);
    let mut row_of: Vec<Vec<u32>> = Vec::new();
    let mut n_rows = 0u32;
    let mut seen = 0usize;
    for flags in &is_article {
        let mut rows = vec![u32::MAX; flags.len()];
        for (d, &a) in flags.iter().enumerate() {
            if a {
                if seen.is_multiple_of(step) {
                    rows[d] = n_rows;
                    n_rows += 1;
                }
                seen += 1;
            }
        }
        row_of.push(rows);
    }
    // Per term: its postings in sampled rows, over all segments.
    let mut by_term: FxHashMap<Vec<u8>, Vec<(u32, f32)>> = FxHashMap::default();
    for (seg, rows) in searcher.segment_readers().iter().zip(&row_of) {
        let inv = seg.inverted_index(body)?;
        let mut stream = inv.terms().stream().map_err(io)?;
        while stream.advance() {
            let mut p = inv
                .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)
                .map_err(io)?;
            let mut col = Vec::new();
            while p.doc() != TERMINATED {
                let r = rows[p.doc() as usize];
                if r != u32::MAX {
                    col.push((r, 1.0 + (p.term_freq() as f32).ln()));
                }
                p.advance();
            }
            if !col.is_empty() {
                by_term
                    .entry(stream.key().to_vec())
                    .or_default()
                    .extend(col);
            }
        }
    }
    let by_term = by_term
        .into_iter()
        .filter_map(|(k, col)| Some((String::from_utf8(k).ok()?, col)))
        .collect();
    Ok(columns(by_term, n_rows))
}

/// The unit tf-idf matrix of sampled rows, from each term's `(row, 1 + ln tf)` pairs: terms in
/// too few or too many rows left out, idf taken over the sample.
fn columns(by_term: FxHashMap<String, Vec<(u32, f32)>>, n_rows: u32) -> Option<Columns> {
    let n = n_rows as f32;
    let mut terms: Vec<(String, Vec<(u32, f32)>)> = by_term
        .into_iter()
        .filter(|(k, col)| {
            col.len() as u32 >= MIN_DF
                && col.len() * 2 <= n_rows as usize
                && k.len() > 1
                && k.chars().any(char::is_alphabetic)
        })
        .collect();
    // The most frequent terms first, then by term: a fixed order whatever the hash map's.
    terms.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    terms.truncate(MAX_TERMS);
    let mut norms = vec![0f32; n_rows as usize];
    for (_, col) in &mut terms {
        let idf = (n / col.len() as f32).ln();
        col.sort_unstable_by_key(|&(r, _)| r);
        for (r, w) in col.iter_mut() {
            *w *= idf;
            norms[*r as usize] += *w * *w;
        }
    }
    for (_, col) in &mut terms {
        for (r, w) in col.iter_mut() {
            *w /= norms[*r as usize].sqrt().max(f32::MIN_POSITIVE);
        }
    }
    if terms.len() < DIMS * 4 {
        return None;
    }
    let (terms, cols) = terms.into_iter().unzip();
    Some(Columns {
        terms,
        cols,
        n_rows: n_rows as usize,
    })
}

/// A sample of the articles taken while a run indexes them, when that run reads every article
/// the index will hold (a first run, a rebuild): reading every postings list afterwards maps the
/// whole index into memory, which the sample does not need. The sample is the [`MAX_SAMPLE`]
/// articles whose ids hash lowest (a bottom-k sketch), so it is the same whatever order the
/// workers finish in, and only articles that may still belong to it are tokenized.
pub struct Sampler {
    state: Mutex<SampleState>,
    /// The largest hash kept once the sample is full; `u64::MAX` before.
    threshold: AtomicU64,
}

#[derive(Default)]
struct SampleState {
    /// Lowercased words → ids; rows hold ids, and words are stemmed once when the basis is built.
    words: FxHashMap<String, u32>,
    /// Per sampled article: its words and their counts (see [`pack_row`]).
    rows: BTreeMap<(u64, String), Box<[u8]>>,
}

/// A sampled article's (word id, count) pairs, packed: sorted by id, each as the varint of the
/// gap from the id before and the varint of its count. A pair took 8 bytes as two `u32`s, and
/// the 10,000 rows were 20 MB that a run holds from early on to its end; packed, most pairs
/// take 2 or 3 bytes.
fn pack_row(mut row: Vec<(u32, u32)>) -> Box<[u8]> {
    row.sort_unstable_by_key(|&(w, _)| w);
    let mut out = Vec::with_capacity(row.len() * 3);
    let mut last = 0;
    for (w, n) in row {
        put_varint(&mut out, w - last);
        put_varint(&mut out, n);
        last = w;
    }
    out.into_boxed_slice()
}

/// The pairs of a row [`pack_row`] packed, in id order.
fn unpack_row(bytes: &[u8]) -> impl Iterator<Item = (u32, u32)> + '_ {
    let mut at = 0;
    let mut last = 0;
    std::iter::from_fn(move || {
        let gap = get_varint(bytes, &mut at)?;
        let n = get_varint(bytes, &mut at)?;
        last += gap;
        Some((last, n))
    })
}

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut v = 0u32;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

impl Default for Sampler {
    fn default() -> Self {
        Sampler {
            state: Mutex::default(),
            threshold: AtomicU64::new(u64::MAX),
        }
    }
}

impl Sampler {
    /// Offers an indexed article by its id and body.
    pub fn offer(&self, id: &str, body: &str) {
        let hash = {
            let mut h = rustc_hash::FxHasher::default();
            id.hash(&mut h);
            h.finish()
        };
        if hash > self.threshold.load(AtomicOrdering::Relaxed) {
            return;
        }
        // Words are counted by a hash of their text, and each distinct word's text is kept once:
        // counting by the text itself compared it byte by byte at every occurrence.
        let mut counts: FxHashMap<u64, (u32, std::ops::Range<usize>)> = FxHashMap::default();
        let mut arena = String::new();
        crate::index::stem::for_each_word(body, |w| {
            let mut h = rustc_hash::FxHasher::default();
            h.write(w.as_bytes());
            counts
                .entry(h.finish())
                .and_modify(|(n, _)| *n += 1)
                .or_insert_with(|| {
                    let start = arena.len();
                    arena.push_str(w);
                    (1, start..arena.len())
                });
        });
        let Ok(mut st) = self.state.lock() else {
            return;
        };
        let key = (hash, id.to_string());
        if st.rows.len() >= MAX_SAMPLE && st.rows.last_key_value().is_some_and(|(k, _)| *k < key) {
            return;
        }
        let mut row: Vec<(u32, u32)> = Vec::with_capacity(counts.len());
        for (n, text) in counts.into_values() {
            let w = &arena[text];
            let wid = match st.words.get(w) {
                Some(&id) => id,
                None => {
                    let id = st.words.len() as u32;
                    st.words.insert(w.to_string(), id);
                    id
                }
            };
            row.push((wid, n));
        }
        st.rows.insert(key, pack_row(row));
        if st.rows.len() > MAX_SAMPLE {
            st.rows.pop_last();
        }
        if st.rows.len() >= MAX_SAMPLE
            && let Some(((h, _), _)) = st.rows.last_key_value()
        {
            self.threshold.store(*h, AtomicOrdering::Relaxed);
        }
    }

    /// Articles sampled.
    pub fn len(&self) -> usize {
        self.state.lock().map_or(0, |s| s.rows.len())
    }

    /// Whether nothing was sampled.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The basis of the sample, stemming with the body field's `analyzer`.
    pub fn into_basis(self, mut analyzer: TextAnalyzer) -> Option<Basis> {
        let st = self.state.into_inner().ok()?;
        if st.rows.len() < MIN_ARTICLES {
            return None;
        }
        // Word id → term id (several words can share a stem).
        let mut term_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut stem_of = vec![u32::MAX; st.words.len()];
        for (w, &id) in &st.words {
            let mut one = analyzer.token_stream(w);
            if one.advance() {
                let t = one.token().text.clone();
                let next = term_ids.len() as u32;
                stem_of[id as usize] = *term_ids.entry(t).or_insert(next);
            }
        }
        let mut cols: Vec<Vec<(u32, f32)>> = vec![Vec::new(); term_ids.len()];
        let mut tf: FxHashMap<u32, u32> = FxHashMap::default();
        for (r, row) in st.rows.values().enumerate() {
            tf.clear();
            for (w, n) in unpack_row(row) {
                let t = stem_of[w as usize];
                if t != u32::MAX {
                    *tf.entry(t).or_default() += n;
                }
            }
            for (&t, &n) in &tf {
                cols[t as usize].push((r as u32, 1.0 + (n as f32).ln()));
            }
        }
        let mut by_term = FxHashMap::default();
        for (t, id) in term_ids {
            by_term.insert(t, std::mem::take(&mut cols[id as usize]));
        }
        columns(by_term, st.rows.len() as u32).and_then(Basis::from_columns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_rows_give_back_their_pairs_in_id_order() {
        let pairs = vec![
            (70_000, 1),
            (3, 2),
            (0, 300),
            (u32::MAX, u32::MAX),
            (128, 1),
        ];
        let packed = pack_row(pairs.clone());
        let mut want = pairs;
        want.sort_unstable();
        assert_eq!(unpack_row(&packed).collect::<Vec<_>>(), want);
        assert_eq!(unpack_row(&pack_row(Vec::new())).count(), 0);
        // Small gaps and counts take a byte each.
        assert_eq!(pack_row(vec![(1, 1), (2, 3), (5, 1)]).len(), 6);
    }

    #[test]
    fn jacobi_finds_the_eigenpairs_of_a_symmetric_matrix() {
        let a = vec![4.0, 1.0, 2.0, 1.0, 3.0, 0.5, 2.0, 0.5, 5.0];
        let (values, vectors) = symmetric_eigen(a.clone(), 3);
        for k in 0..3 {
            for i in 0..3 {
                let av: f64 = (0..3).map(|j| a[i * 3 + j] * vectors[j * 3 + k]).sum();
                assert!((av - values[k] * vectors[i * 3 + k]).abs() < 1e-9);
            }
        }
        // Trace is kept.
        assert!((values.iter().sum::<f64>() - 12.0).abs() < 1e-9);
    }

    /// Article `i` of two made-up sections with their own words (letters only).
    fn section_article(i: usize) -> String {
        let section = if i.is_multiple_of(2) { "kk" } else { "vv" };
        (0..12)
            .map(|j| {
                let w = (i * 7 + j * 13) % 40;
                format!(
                    "{section}{}{}q",
                    (b'a' + (w / 26) as u8) as char,
                    (b'a' + (w % 26) as u8) as char
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_sample_is_the_same_whatever_order_articles_come_in_and_finds_the_sections() {
        let n = MAX_SAMPLE + 1_500;
        let forward = Sampler::default();
        for i in 0..n {
            forward.offer(&format!("id{i}"), &section_article(i));
        }
        let backward = Sampler::default();
        for i in (0..n).rev() {
            backward.offer(&format!("id{i}"), &section_article(i));
        }
        assert_eq!(forward.len(), MAX_SAMPLE);
        let analyzer = || crate::index::stem::words();
        let a = forward.into_basis(analyzer()).unwrap();
        let b = backward.into_basis(analyzer()).unwrap();
        assert_eq!(a, b);
        // Two words of one section point the same way; words of different sections do not.
        let e = |w: &str| a.embed([(w, 1.0)]).unwrap();
        let same = cosine(&e("kkaaq"), &e("kkbnq"));
        let other = cosine(&e("kkaaq"), &e("vvaaq"));
        assert!(same > 0.8 && other < 0.3, "same {same} other {other}");
    }

    #[test]
    fn a_saved_basis_reads_back_and_a_damaged_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Basis::load(dir.path()).unwrap().is_none());
        let basis = Basis::from_rows(vec![
            ("minist".to_string(), vec![0.5; DIMS]),
            ("border".to_string(), (0..DIMS).map(|i| i as f32).collect()),
            ("alpha".to_string(), vec![-1.0; DIMS]),
        ]);
        basis.save(dir.path()).unwrap();
        let back = Basis::load(dir.path()).unwrap().unwrap();
        assert_eq!(back, basis);
        assert_eq!(back.len(), 3);
        let e1 = basis.embed([("border", 1.0), ("minist", 2.0), ("unknown", 9.0)]);
        assert_eq!(e1, back.embed([("border", 1.0), ("minist", 2.0)]));
        assert!(basis.embed([("unknown", 1.0)]).is_none());
        let e = basis.embed([("border", 1.0)]).unwrap();
        let norm = (0..DIMS).map(|i| (i * i) as f32).sum::<f32>().sqrt();
        assert!((e[3] - 3.0 / norm).abs() < 1e-6, "{e:?}");

        let path = dir.path().join(FILE);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        let err = Basis::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("--rebuild"), "{err}");
    }
}
