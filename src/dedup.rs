//! Duplicates: an article's text in, three 64-bit signatures out — an exact fingerprint of the
//! case- and whitespace-normalised body and two 1-bit MinHashes of its word 3-shingles — and
//! the rules on them: when two articles are copies, which hits of a ranked list copy a
//! better-ranked one, and the groups of copies in a whole set. Pure functions on plain data:
//! the index stores the signatures as fast fields, search reads them back and calls these.
//!
//! Why 1-bit MinHash and not SimHash: each bit of two signatures agrees with probability
//! (1 + J) / 2, J the Jaccard similarity of the shingle sets, so near copies land closer than
//! with SimHash at the same 64 bits. On the BBC corpus, SimHash put a 0.92-similar pair 10 bits
//! apart; this MinHash puts every pair of similarity ≥ 0.8 within 6 bits. One permutation
//! (Li, Owen & Zhang 2012, with rotation densification) costs one hash per shingle.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;
use serde::Serialize;

use crate::article::{FNV1A_START, fnv1a_extend};

/// Two near signatures at most this many bits apart are near copies (if their confirming
/// signatures agree too, see [`CONFIRM_BITS`]). Measured on the BBC corpus (2,225 articles,
/// 2.5 million pairs): every pair whose shingle sets are ≥ 80% alike is within 6 bits, pairs
/// 62–72% alike (updated wire copy) within 8 to 11, and the closest unrelated pair is 13 bits
/// apart.
pub const NEAR_BITS: u32 = 8;

/// Two confirming signatures at most this many bits apart confirm a near match.
///
/// Unrelated near signatures are 64 fair coins: they come within [`NEAR_BITS`] with
/// probability 2.8·10⁻¹⁰ a pair. That is one chance pair among 100,000 articles, but pairs grow
/// with the square of the corpus: some 140 among a million (1 million random signatures made
/// 122 groups). The confirming signature, a MinHash under an independent hash, must then come
/// within 18 bits as well, which unrelated texts do with probability 3·10⁻⁴: a chance pair
/// among a million articles becomes a 4 % chance. A real near copy agrees on each bit of both
/// with the same probability, so at 70 % likeness it passes this second test 99.8 % of the
/// time, and at 80 % always.
pub const CONFIRM_BITS: u32 = 18;

/// The signatures of one article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Signature {
    /// FNV-1a of the text's whitespace-separated words, lowercased, joined by single spaces.
    pub exact: u64,
    /// 1-bit MinHash of the set of word 3-shingles (words: runs of letters and digits,
    /// lowercased).
    pub near: u64,
    /// The same as `near` under an independent hash of the shingles: it confirms a near match
    /// (see [`CONFIRM_BITS`]). Near copies are looked up by `near` alone.
    pub confirm: u64,
}

/// How a copy relates to the article it copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CopyKind {
    /// Same text once case and spacing are ignored.
    Exact,
    /// Signatures within [`NEAR_BITS`] and [`CONFIRM_BITS`] bits: the same text with small
    /// edits.
    Near,
}

/// The signatures of an article: of its body, or of its headline when it has no body (so that
/// headline-only articles are not all copies of one another).
pub fn signature(title: &str, body: &str) -> Signature {
    let text = if body.trim().is_empty() { title } else { body };
    scan(text)
}

/// Both signatures of `text` in one pass over its bytes. This runs on every byte of every
/// article at index time: two passes decoding characters (one per signature, plus a vector of
/// word hashes) cost a seventh of a `--no-extract` run. ASCII bytes are classified and
/// lowercased as bytes; any other character goes through the Unicode rules, so the hashes are
/// those of [`Signature`]'s definitions (tested against a direct implementation of them).
fn scan(text: &str) -> Signature {
    let bytes = text.as_bytes();
    let mut buf = [0u8; 4];
    // Fingerprint: whitespace-separated words, joined by single spaces.
    let mut exact = FNV1A_START;
    let (mut in_token, mut any_token) = (false, false);
    // MinHash: runs of letters and digits.
    let mut word = FNV1A_START;
    let mut in_word = false;
    let mut near = MinHasher::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            i += 1;
            let lower = u64::from(b.to_ascii_lowercase());
            if matches!(b, b'\t'..=b'\r' | b' ') {
                in_token = false;
            } else {
                if !in_token && any_token {
                    exact = fnv1a_step(exact, u64::from(b' '));
                }
                (in_token, any_token) = (true, true);
                exact = fnv1a_step(exact, lower);
            }
            if b.is_ascii_alphanumeric() {
                word = fnv1a_step(word, lower);
                in_word = true;
            } else if in_word {
                near.push(word);
                (word, in_word) = (FNV1A_START, false);
            }
            continue;
        }
        // `i` is always on a character boundary: it moves by whole characters.
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        if c.is_whitespace() {
            in_token = false;
        } else {
            if !in_token && any_token {
                exact = fnv1a_step(exact, u64::from(b' '));
            }
            (in_token, any_token) = (true, true);
            exact = extend_lower(exact, c, &mut buf);
        }
        if c.is_alphanumeric() {
            word = extend_lower(word, c, &mut buf);
            in_word = true;
        } else if in_word {
            near.push(word);
            (word, in_word) = (FNV1A_START, false);
        }
    }
    if in_word {
        near.push(word);
    }
    let (near, confirm) = near.finish();
    Signature {
        exact,
        near,
        confirm,
    }
}

/// One byte of FNV-1a (as [`fnv1a_extend`]), without a slice to loop over.
#[inline]
fn fnv1a_step(h: u64, byte: u64) -> u64 {
    (h ^ byte).wrapping_mul(0x0100_0000_01b3)
}

/// Extends an FNV-1a hash by the lowercase form of `c`. ASCII, most of any English text, skips
/// the general Unicode case mapping (same bytes, a fifth of the time: this runs on every
/// character of every article).
#[inline]
fn extend_lower(mut h: u64, c: char, buf: &mut [u8; 4]) -> u64 {
    if c.is_ascii() {
        return fnv1a_extend(h, &[(c as u8).to_ascii_lowercase()]);
    }
    for l in c.to_lowercase() {
        h = fnv1a_extend(h, l.encode_utf8(buf).as_bytes());
    }
    h
}

/// splitmix64's finaliser. FNV's bits are far from independent, and MinHash needs a shingle's
/// hash to be uniform.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Order-sensitive hash of a few word hashes.
fn shingle(words: &[u64]) -> u64 {
    mix(words.iter().fold(0u64, |h, &w| {
        h.wrapping_mul(0x0000_0100_0000_01b3).wrapping_add(w)
    }))
}

/// 64 one-bit MinHashes by one permutation, fed one word hash at a time: a shingle's hash
/// picks one of 64 bins by its top 6 bits and competes there by the rest; each bin's minimum
/// gives one bit (a hash of it, so the bit is a fair coin). A text of one or two words is one
/// shingle. An empty bin (short texts) borrows the next non-empty bin's minimum, mixed with the
/// distance, so that two texts agree there only if they agree on the donor. The confirming
/// signature is the same under the shingle's hash mixed with [`CONFIRM_SEED`].
struct MinHasher {
    mins: [u64; 64],
    confirm: [u64; 64],
    /// The last three words, oldest first.
    window: [u64; 3],
    words: usize,
}

impl Default for MinHasher {
    fn default() -> Self {
        MinHasher {
            mins: [u64::MAX; 64],
            confirm: [u64::MAX; 64],
            window: [0; 3],
            words: 0,
        }
    }
}

impl MinHasher {
    fn push(&mut self, word: u64) {
        self.window = [self.window[1], self.window[2], word];
        self.words += 1;
        if self.words >= 3 {
            self.add(shingle(&self.window));
        }
    }

    fn add(&mut self, s: u64) {
        fn keep(mins: &mut [u64; 64], s: u64) {
            let bin = (s >> 58) as usize;
            mins[bin] = mins[bin].min(s << 6);
        }
        keep(&mut self.mins, s);
        keep(&mut self.confirm, mix(s ^ CONFIRM_SEED));
    }

    /// The near and the confirming signature.
    fn finish(mut self) -> (u64, u64) {
        match self.words {
            0 => return (0, 0),
            n @ (1 | 2) => {
                let w = self.window;
                self.add(shingle(&w[3 - n..]));
            }
            _ => {}
        }
        (bits_of(&self.mins), bits_of(&self.confirm))
    }
}

/// Mixed into a shingle's hash for the confirming signature: any constant unrelated to
/// [`mix`]'s (these are digits of π).
const CONFIRM_SEED: u64 = 0x243f_6a88_85a3_08d3;

/// One bit from each bin's minimum, an empty bin borrowing (see [`MinHasher`]).
fn bits_of(mins: &[u64; 64]) -> u64 {
    let mut bits = 0u64;
    for bin in 0..64 {
        let (mut donor, mut hops) = (bin, 0u64);
        while mins[donor] == u64::MAX {
            donor = (donor + 1) % 64;
            hops += 1;
        }
        bits |= (mix(mins[donor] ^ hops) & 1) << bin;
    }
    bits
}

/// Whether `b` is a copy of `a`, and how.
pub fn copy_kind(a: Signature, b: Signature) -> Option<CopyKind> {
    if a.exact == b.exact {
        Some(CopyKind::Exact)
    } else if near_pair((a.near, a.confirm), (b.near, b.confirm)) {
        Some(CopyKind::Near)
    } else {
        None
    }
}

/// Whether two (near, confirming) signatures make a near pair.
#[inline]
fn near_pair(a: (u64, u64), b: (u64, u64)) -> bool {
    (a.0 ^ b.0).count_ones() <= NEAR_BITS && (a.1 ^ b.1).count_ones() <= CONFIRM_BITS
}

/// Signature blocks: two signatures within `NEAR_BITS` bits differ in at most `NEAR_BITS` of
/// `NEAR_BITS + 2` blocks, so they agree on at least one whole *pair* of blocks (pigeonhole).
/// Looking signatures up by each pair of blocks (45 keys of 12 to 14 bits) finds every near
/// copy while comparing with a few hundred candidates, not the whole set: on 100,000 articles,
/// single 7-bit blocks left ~6,700 candidates per lookup.
const BLOCKS: u32 = NEAR_BITS + 2;

// A pair of blocks keys a counting-sort table in `groups`: keep it small.
const _: () = assert!(2 * (64 / BLOCKS + 1) <= 20);

/// Bit offsets of the blocks: 64 bits in `BLOCKS` blocks of 6 or 7 bits.
fn block_bounds() -> impl Iterator<Item = (u32, u32)> {
    let (base, extra) = (64 / BLOCKS, 64 % BLOCKS);
    (0..BLOCKS).map(move |b| {
        let lo = b * base + b.min(extra);
        (lo, base + u32::from(b < extra))
    })
}

fn block_keys(near: u64) -> Vec<u64> {
    let mut blocks = [0u64; BLOCKS as usize];
    for (b, (lo, bits)) in blocks.iter_mut().zip(block_bounds()) {
        *b = (near >> lo) & ((1u64 << bits) - 1);
    }
    let mut keys = Vec::with_capacity(45);
    for i in 0..blocks.len() {
        for j in i + 1..blocks.len() {
            keys.push(((i as u64) << 40) | ((j as u64) << 32) | (blocks[i] << 8) | blocks[j]);
        }
    }
    keys
}

/// Hashes the u64 keys of [`CopyIndex`] with [`mix`]: they are not attacker-chosen, and
/// SipHash was a third of the time of indexing 100,000 signatures.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0 ^ u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = mix(self.0 ^ n);
    }
}

/// Signatures, findable by the signatures they are copies of.
#[derive(Debug, Default)]
pub struct CopyIndex {
    sigs: Vec<Signature>,
    blocks: HashMap<u64, Vec<u32>, BuildHasherDefault<KeyHasher>>,
    /// By fingerprint: the same text has the same near signature too, but a fingerprint is
    /// what makes an exact copy, so it is looked up as well.
    exact: HashMap<u64, Vec<u32>, BuildHasherDefault<KeyHasher>>,
}

impl CopyIndex {
    /// Adds a signature; it is found under the position it was added at (0, 1, …).
    pub fn insert(&mut self, sig: Signature) -> usize {
        let pos = self.sigs.len();
        self.sigs.push(sig);
        // Positions fit u32: an index never holds 4 billion articles in one search.
        let p = u32::try_from(pos).unwrap_or(u32::MAX);
        for key in block_keys(sig.near) {
            self.blocks.entry(key).or_default().push(p);
        }
        self.exact.entry(sig.exact).or_default().push(p);
        pos
    }

    /// Every added signature `sig` is a copy of (a position may come more than once).
    pub fn matches(&self, sig: Signature) -> impl Iterator<Item = (usize, CopyKind)> + '_ {
        block_keys(sig.near)
            .into_iter()
            .filter_map(|key| self.blocks.get(&key))
            .chain(self.exact.get(&sig.exact))
            .flatten()
            .filter_map(move |&p| {
                let p = p as usize;
                copy_kind(self.sigs[p], sig).map(|k| (p, k))
            })
    }

    /// The first added signature `sig` is a copy of.
    pub fn first_match(&self, sig: Signature) -> Option<(usize, CopyKind)> {
        self.matches(sig).min_by_key(|(p, _)| *p)
    }
}

/// For each hit of a ranked list (best first): `None` when it is kept, or `Some((i, kind))`
/// when it copies the kept hit at position `i` — the best-ranked kept hit it copies.
pub fn collapse(ranked: &[Signature]) -> Vec<Option<(usize, CopyKind)>> {
    // A page or two of hits: comparing with each kept hit beats building the index.
    if ranked.len() <= 64 {
        collapse_by_comparison(ranked)
    } else {
        collapse_indexed(ranked)
    }
}

/// [`collapse`] by comparing each hit with every kept one.
fn collapse_by_comparison(ranked: &[Signature]) -> Vec<Option<(usize, CopyKind)>> {
    let mut kept: Vec<(usize, Signature)> = Vec::new();
    ranked
        .iter()
        .enumerate()
        .map(|(i, &sig)| {
            let copied = kept
                .iter()
                .find_map(|&(at, k)| copy_kind(k, sig).map(|kind| (at, kind)));
            if copied.is_none() {
                kept.push((i, sig));
            }
            copied
        })
        .collect()
}

/// [`collapse`] through a [`CopyIndex`] of the kept hits.
fn collapse_indexed(ranked: &[Signature]) -> Vec<Option<(usize, CopyKind)>> {
    let mut index = CopyIndex::default();
    let mut kept_at = Vec::new();
    ranked
        .iter()
        .enumerate()
        .map(|(i, &sig)| match index.first_match(sig) {
            Some((k, kind)) => Some((kept_at[k], kind)),
            None => {
                index.insert(sig);
                kept_at.push(i);
                None
            }
        })
        .collect()
}

/// Blocks of the near signature for [`Kept::Few`]: two signatures within `NEAR_BITS` bits
/// differ in at most `NEAR_BITS` of `NEAR_BITS + 1` blocks, so they agree on a whole block.
const FEW_BLOCKS: u32 = NEAR_BITS + 1;

/// Shift and mask of each block of [`FEW_BLOCKS`], computed once: this is the inner loop of a
/// scan over every article.
const FEW_BOUNDS: [(u32, u64); FEW_BLOCKS as usize] = {
    let (base, extra) = (64 / FEW_BLOCKS, 64 % FEW_BLOCKS);
    let mut out = [(0, 0); FEW_BLOCKS as usize];
    let (mut b, mut lo) = (0, 0);
    while b < FEW_BLOCKS {
        let bits = base + if b < extra { 1 } else { 0 };
        // One table entry per value of a block: blocks of at most 8 bits.
        assert!(bits <= 8);
        out[b as usize] = (lo, (1 << bits) - 1);
        lo += bits;
        b += 1;
    }
    out
};

/// Signatures of kept hits, ready to say which of them another signature copies.
pub enum Kept<'a> {
    /// A page of hits (at most 32): for each block of the near signature and each value of
    /// it, the set of kept hits (bits of a mask) with that value there, and the same for the
    /// low byte of the fingerprint. A signature is only compared with the kept hits it shares
    /// a block or that byte with: ten table reads per signature where comparing with every
    /// kept hit cost ten popcounts, which matters when every article is scanned.
    Few {
        /// The kept signatures, best first.
        kept: &'a [Signature],
        /// `FEW_BLOCKS` tables of 256 masks.
        blocks: Box<[[u32; 256]; FEW_BLOCKS as usize]>,
        /// The kept hits by the low byte of their fingerprint.
        exact: Box<[u32; 256]>,
    },
    /// Many hits, looked up by signature blocks.
    Many(CopyIndex),
}

impl<'a> Kept<'a> {
    /// Prepares `kept` (best first).
    pub fn new(kept: &'a [Signature]) -> Self {
        if kept.len() <= 32 {
            let mut blocks = Box::new([[0u32; 256]; FEW_BLOCKS as usize]);
            let mut exact = Box::new([0u32; 256]);
            for (i, k) in kept.iter().enumerate() {
                exact[(k.exact & 0xff) as usize] |= 1 << i;
                for (table, &(lo, mask)) in blocks.iter_mut().zip(&FEW_BOUNDS) {
                    table[((k.near >> lo) & mask) as usize] |= 1 << i;
                }
            }
            return Kept::Few {
                kept,
                blocks,
                exact,
            };
        }
        let mut index = CopyIndex::default();
        for &s in kept {
            index.insert(s);
        }
        Kept::Many(index)
    }

    /// The first of the kept signatures `sig` copies, if any, and how.
    #[inline]
    pub fn first_copied(&self, sig: Signature) -> Option<(usize, CopyKind)> {
        match self {
            Kept::Few {
                kept,
                blocks,
                exact,
            } => {
                let mut maybe = 0u32;
                for (table, &(lo, mask)) in blocks.iter().zip(&FEW_BOUNDS) {
                    maybe |= table[((sig.near >> lo) & mask) as usize];
                }
                maybe |= exact[(sig.exact & 0xff) as usize];
                // Lowest bit first: the best-ranked kept hit it copies.
                while maybe != 0 {
                    let i = maybe.trailing_zeros() as usize;
                    if let Some(kind) = copy_kind(kept[i], sig) {
                        return Some((i, kind));
                    }
                    maybe &= maybe - 1;
                }
                None
            }
            Kept::Many(index) => index.first_match(sig),
        }
    }
}

/// For each of `others`: the first of `kept` it copies, if any.
pub fn attach(kept: &[Signature], others: &[Signature]) -> Vec<Option<(usize, CopyKind)>> {
    let kept = Kept::new(kept);
    others.iter().map(|&s| kept.first_copied(s)).collect()
}

/// Groups of copies in a set of articles, as positions in the set (ascending inside a group;
/// groups largest first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Groups {
    /// Two or more articles with the same fingerprint.
    pub exact: Vec<Vec<usize>>,
    /// Articles linked by near signatures (directly or through others), holding at least two
    /// different texts; exact copies inside are members too.
    pub near: Vec<Vec<usize>>,
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

fn largest_first(mut groups: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    groups
}

/// Links that join the positions of `near` (near and confirming signatures) that are near pairs
/// and share the key of blocks `(lo_i, bits_i)` and `(lo_j, bits_j)` of the near signature:
/// each linked position with the smallest position it is joined to in this table.
fn links_in_table(
    near: &[(u64, u64)],
    (lo_i, bits_i): (u32, u32),
    (lo_j, bits_j): (u32, u32),
) -> Vec<(u32, u32)> {
    let key = |(n, _): (u64, u64)| {
        let (a, b) = (
            (n >> lo_i) & ((1 << bits_i) - 1),
            (n >> lo_j) & ((1 << bits_j) - 1),
        );
        ((a << bits_j) | b) as usize
    };
    let mut start = vec![0u32; (1 << (bits_i + bits_j)) + 1];
    for &n in near {
        start[key(n) + 1] += 1;
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let mut fill = start.clone();
    let mut order = vec![0u32; near.len()];
    for (c, &n) in near.iter().enumerate() {
        let k = key(n);
        order[fill[k] as usize] = c as u32;
        fill[k] += 1;
    }
    // Joined here already, so that a text with thousands of near copies gives one link per
    // copy, not one per pair.
    let mut parent: rustc_hash::FxHashMap<u32, u32> = rustc_hash::FxHashMap::default();
    fn root(parent: &mut rustc_hash::FxHashMap<u32, u32>, mut x: u32) -> u32 {
        while let Some(&p) = parent.get(&x) {
            if p == x {
                break;
            }
            x = p;
        }
        x
    }
    for bucket in start.windows(2) {
        let members = &order[bucket[0] as usize..bucket[1] as usize];
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                if near_pair(near[a as usize], near[b as usize]) {
                    let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                    parent.entry(ra).or_insert(ra);
                    parent.entry(rb).or_insert(rb);
                    if ra != rb {
                        parent.insert(ra.max(rb), ra.min(rb));
                    }
                }
            }
        }
    }
    let nodes: Vec<u32> = parent.keys().copied().collect();
    nodes
        .into_iter()
        .map(|x| (x, root(&mut parent, x)))
        .filter(|(x, r)| x != r)
        .collect()
}

/// The groups of copies among `sigs`.
pub fn groups(sigs: &[Signature]) -> Groups {
    // One class per text; near links are searched between classes only, so ten thousand
    // copies of one text cost one comparison. A class is a run of the articles sorted by text
    // fingerprint, and classes are numbered by their first article. Flat arrays of 4-byte
    // positions, not a map and a list per class: at a million articles those took 250 MB, more
    // than indexing itself (the process peaked at 452 MB here, 366 MB while indexing).
    let n = u32::try_from(sigs.len()).unwrap_or(u32::MAX);
    let mut by_text: Vec<u32> = (0..n).collect();
    by_text.sort_unstable_by_key(|&i| (sigs[i as usize].exact, i));
    let mut classes: Vec<(u32, u32)> = Vec::new();
    let mut first = 0;
    for k in 1..=by_text.len() {
        if k == by_text.len()
            || sigs[by_text[k] as usize].exact != sigs[by_text[first] as usize].exact
        {
            classes.push((first as u32, k as u32));
            first = k;
        }
    }
    classes.sort_unstable_by_key(|&(start, _)| by_text[start as usize]);
    let members = |(start, end): (u32, u32)| &by_text[start as usize..end as usize];
    let near: Vec<(u64, u64)> = classes
        .iter()
        .map(|&c| {
            let s = sigs[members(c)[0] as usize];
            (s.near, s.confirm)
        })
        .collect();
    let mut parent: Vec<u32> = (0..classes.len() as u32).collect();
    // In batch, each pair of blocks is a table sorted by its key (a counting sort): near
    // copies share a bucket in at least one table, so comparing within buckets finds them.
    // The 45 tables are independent: they are searched in parallel (comparisons within
    // buckets grow with the square of the articles, 0.8 s at 200,000), and only the links
    // found, few, are joined afterwards.
    let bounds: Vec<(u32, u32)> = block_bounds().collect();
    let pairs: Vec<(usize, usize)> = (0..bounds.len())
        .flat_map(|i| (i + 1..bounds.len()).map(move |j| (i, j)))
        .collect();
    let links: Vec<Vec<(u32, u32)>> = pairs
        .par_iter()
        .map(|&(i, j)| links_in_table(&near, bounds[i], bounds[j]))
        .collect();
    for (a, b) in links.into_iter().flatten() {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra.max(rb) as usize] = ra.min(rb);
    }
    let roots: Vec<u32> = (0..classes.len() as u32)
        .map(|c| find(&mut parent, c))
        .collect();
    let mut texts = vec![0u32; classes.len()];
    for &r in &roots {
        texts[r as usize] += 1;
    }
    let mut components: rustc_hash::FxHashMap<u32, Vec<usize>> = Default::default();
    for (&c, &r) in classes.iter().zip(&roots) {
        if texts[r as usize] > 1 {
            let m = components.entry(r).or_default();
            m.extend(members(c).iter().map(|&i| i as usize));
        }
    }
    let exact = classes
        .iter()
        .filter(|(start, end)| end - start > 1)
        .map(|&c| members(c).iter().map(|&i| i as usize).collect())
        .collect();
    let near = components
        .into_values()
        .map(|mut m| {
            m.sort_unstable();
            m
        })
        .collect();
    Groups {
        exact: largest_first(exact),
        near: largest_first(near),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprint(text: &str) -> u64 {
        scan(text).exact
    }

    fn minhash(text: &str) -> u64 {
        scan(text).near
    }

    /// [`Signature`]'s definitions written directly, character by character: what [`scan`]
    /// must compute.
    fn by_definition(text: &str) -> Signature {
        let lower = |w: &str| -> u64 {
            w.chars()
                .flat_map(char::to_lowercase)
                .fold(FNV1A_START, |h, c| {
                    fnv1a_extend(h, c.encode_utf8(&mut [0u8; 4]).as_bytes())
                })
        };
        let joined: Vec<String> = text
            .split_whitespace()
            .map(|w| w.chars().flat_map(char::to_lowercase).collect())
            .collect();
        let exact = fnv1a_extend(FNV1A_START, joined.join(" ").as_bytes());
        let words: Vec<u64> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(lower)
            .collect();
        let mut near = MinHasher::default();
        let shingles: Vec<u64> = if words.len() < 3 {
            (!words.is_empty())
                .then(|| shingle(&words))
                .into_iter()
                .collect()
        } else {
            words.windows(3).map(shingle).collect()
        };
        for s in &shingles {
            near.add(*s);
        }
        // `finish` adds the short-text shingle itself; here it was added above.
        near.words = if shingles.is_empty() { 0 } else { 3 };
        let (near, confirm) = near.finish();
        Signature {
            exact,
            near,
            confirm,
        }
    }

    #[test]
    fn one_pass_computes_the_definitions() {
        let mut texts: Vec<String> = vec![
            String::new(),
            " ".into(),
            "--".into(),
            "one".into(),
            "two words".into(),
            "The Prime Minister, İstanbul's MAYOR and ΣΟΦΙΑ met in Zürich — 24 Nov.".into(),
            "tabs\tand\u{b}vertical\u{c}feeds\r\nnew\u{a0}nbsp\u{2003}em ünïcödé ŒUVRE".into(),
            "  leading and trailing  ".into(),
            "x1 2y £300m (US$5bn) 'quoted' “curly” it’s co-operate".into(),
        ];
        texts.extend((0..20).map(|seed| text(seed, 5 + seed as usize * 13)));
        for t in &texts {
            assert_eq!(scan(t), by_definition(t), "{t:?}");
        }
    }

    #[test]
    fn ascii_fast_path_hashes_as_the_unicode_case_mapping() {
        let text = "The Prime Minister, İstanbul's MAYOR and ΣΟΦΙΑ met in Zürich — 24 Nov.";
        let mut want = FNV1A_START;
        let mut buf = [0u8; 4];
        for c in text.chars().flat_map(char::to_lowercase) {
            want = fnv1a_extend(want, c.encode_utf8(&mut buf).as_bytes());
        }
        let got = text
            .chars()
            .fold(FNV1A_START, |h, c| extend_lower(h, c, &mut buf));
        assert_eq!(got, want);
    }

    /// Deterministic text of `n` made-up words (no corpus text in the repository).
    fn text(seed: u64, n: usize) -> String {
        let syll = [
            "ka", "lo", "mi", "ren", "sa", "tu", "vek", "zo", "pra", "ni", "dal", "os",
        ];
        let mut x = seed;
        let mut words = Vec::new();
        for i in 0..n {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let a = syll[(x >> 33) as usize % syll.len()];
            let b = syll[(x >> 41) as usize % syll.len()];
            let c = syll[(x >> 49) as usize % syll.len()];
            words.push(format!("{a}{b}{c}"));
            if i % 12 == 11 {
                words.push(".".into());
            }
        }
        words.join(" ").replace(" .", ".")
    }

    #[test]
    fn exact_ignores_case_spacing_and_headline() {
        let a = signature("One headline", "The Minister  said\nno. ");
        let b = signature("Another", "the minister said no.");
        assert_eq!(a, b);
        // Punctuation is text for the fingerprint, not for the shingles.
        let c = signature("", "the minister said no");
        assert_ne!(a.exact, c.exact);
        assert_eq!(copy_kind(a, c), Some(CopyKind::Near));
        // Headline-only articles are known by their headline.
        assert_ne!(signature("Rain", "").exact, signature("Snow", " ").exact);
        // Pinned: the signatures are stored in indexes; a change needs a schema version bump.
        assert_eq!(fingerprint(""), FNV1A_START);
        assert_eq!(
            signature("", "The minister said no.").near,
            minhash("the MINISTER said: no")
        );
        assert_eq!(minhash(""), 0);
        assert_eq!(minhash("--"), 0);
        let pinned = signature("", "The minister said no to the plan on Monday.");
        assert_eq!(
            (pinned.exact, pinned.near, pinned.confirm),
            (
                0x6cc2_3f8c_abb9_348d,
                0xfda3_8f22_2a92_89bf,
                0xb016_d778_8b49_0225
            )
        );
    }

    #[test]
    fn an_edited_sentence_is_a_near_copy_and_other_text_is_not() {
        let original = text(1, 400);
        let mut words: Vec<&str> = original.split(' ').collect();
        for w in &mut words[200..210] {
            *w = "changed";
        }
        let edited = words.join(" ");
        let (a, b) = (signature("", &original), signature("", &edited));
        assert_ne!(a.exact, b.exact);
        assert_eq!(
            copy_kind(a, b),
            Some(CopyKind::Near),
            "{}",
            (a.near ^ b.near).count_ones()
        );
        for seed in 2..50 {
            let other = signature("", &text(seed, 400));
            assert_eq!(copy_kind(a, other), None, "seed {seed}");
        }
    }

    #[test]
    fn collapse_keeps_the_best_ranked_copy() {
        let a = signature("", &text(1, 300));
        let b = signature("", &text(2, 300));
        let c = signature("", &text(3, 300));
        let a2 = signature("x", &text(1, 300).to_uppercase());
        let b_near = Signature {
            near: b.near ^ 0b1011,
            exact: 7,
            ..b
        };
        let got = collapse(&[a, b, a2, c, b_near]);
        assert_eq!(
            got,
            vec![
                None,
                None,
                Some((0, CopyKind::Exact)),
                None,
                Some((1, CopyKind::Near))
            ]
        );
        assert_eq!(
            attach(&[b, c], &[a2, b_near, c]),
            vec![None, Some((0, CopyKind::Near)), Some((1, CopyKind::Exact))]
        );
    }

    #[test]
    fn kept_finds_the_first_copied_as_comparing_with_each_would() {
        // Near signatures 0 to 12 bits away, in blocks and across them; unrelated ones.
        let mut z = 1u64;
        let mut next = || {
            z = mix(z);
            z
        };
        let kept: Vec<Signature> = (0..40)
            .map(|_| Signature {
                exact: next(),
                near: next(),
                confirm: next(),
            })
            .collect();
        let flipped = |mut x: u64, flips: u32, at: u32| {
            for b in 0..flips {
                x ^= 1 << ((at + b * 5) % 64);
            }
            x
        };
        let mut others = Vec::new();
        for (i, k) in kept.iter().enumerate() {
            let i = i as u32;
            for flips in 0..=12u32 {
                // Confirming signatures 0 to 23 bits away: some confirm, some do not.
                others.push(Signature {
                    exact: next(),
                    near: flipped(k.near, flips, i * 7),
                    confirm: flipped(k.confirm, (i * 5 + flips * 3) % 24, i),
                });
            }
            others.push(Signature {
                exact: next(),
                near: next(),
                confirm: next(),
            });
        }
        // The same fingerprint with another near signature: not from real text (the same
        // text gives both), but the fingerprint is what `copy_kind` asks first.
        let mut odd = others;
        odd.extend(kept.iter().map(|k| Signature {
            exact: k.exact,
            near: !k.near,
            confirm: !k.confirm,
        }));
        let others = &odd;
        for n in [1, 10, 32, 33, 40] {
            let brute: Vec<Option<(usize, CopyKind)>> = others
                .iter()
                .map(|&o| {
                    kept[..n]
                        .iter()
                        .enumerate()
                        .find_map(|(i, &k)| copy_kind(k, o).map(|kind| (i, kind)))
                })
                .collect();
            let copies = brute.iter().filter(|b| b.is_some()).count();
            assert!(copies >= n * 7, "{n}: {copies}");
            // And some near matches are not confirmed.
            let unconfirmed = others.iter().filter(|&&o| {
                kept[..n].iter().any(|&k| {
                    (k.near ^ o.near).count_ones() <= NEAR_BITS && copy_kind(k, o).is_none()
                })
            });
            assert!(unconfirmed.count() >= n, "{n}");
            assert_eq!(attach(&kept[..n], others), brute, "{n} kept");
        }
        // Collapsing a ranked list, short (compared one by one) or long (indexed).
        for n in [40, 640] {
            let ranked: Vec<Signature> = others.iter().copied().take(n).collect();
            let brute = collapse_by_comparison(&ranked);
            assert!(brute.iter().any(Option::is_some), "{n}");
            assert_eq!(collapse_indexed(&ranked), brute, "{n} ranked, indexed");
            assert_eq!(collapse(&ranked), brute, "{n} ranked");
        }
    }

    #[test]
    fn groups_of_exact_and_near_copies() {
        let a = signature("", &text(1, 300));
        let b = signature("", &text(2, 300));
        let c = signature("", &text(3, 300));
        // b, its exact copy, and a near copy of b; a twice; c alone.
        let b_near = Signature {
            near: b.near ^ (0xff << 40),
            exact: 9,
            ..b
        };
        let g = groups(&[a, b, c, b, a, b_near]);
        assert_eq!(g.exact, vec![vec![0, 4], vec![1, 3]]);
        assert_eq!(g.near, vec![vec![1, 3, 5]]);
        // Near links are transitive: x ~ y ~ z puts all three in one group.
        let x = Signature {
            exact: 1,
            near: 0,
            confirm: 0,
        };
        let y = Signature {
            exact: 2,
            near: 0xff,
            confirm: 0,
        };
        let z = Signature {
            exact: 3,
            near: 0xffff,
            confirm: 0,
        };
        assert_eq!(copy_kind(x, z), None);
        assert_eq!(groups(&[x, y, z]).near, vec![vec![0, 1, 2]]);
    }

    /// Unrelated signatures that happen to come within `NEAR_BITS` (a few hundred such pairs
    /// among a million articles) are not copies: their confirming signatures are unrelated
    /// too. Without the confirmation every pair here would be one group.
    #[test]
    fn a_chance_match_of_near_signatures_is_not_a_copy() {
        let mut z = 7u64;
        let mut next = || {
            z = mix(z);
            z
        };
        let mut sigs = Vec::new();
        for pair in 0..500u32 {
            let a = Signature {
                exact: next(),
                near: next(),
                confirm: next(),
            };
            // Within 1 to 8 bits of `a`: what chance gives a pair among many articles.
            let mut near = a.near;
            for b in 0..=pair % 8 {
                near ^= 1 << ((pair * 11 + b * 7) % 64);
            }
            let b = Signature {
                exact: next(),
                near,
                confirm: next(),
            };
            assert!((a.near ^ b.near).count_ones() <= NEAR_BITS);
            sigs.extend([a, b]);
        }
        let linked = sigs
            .chunks(2)
            .filter(|p| copy_kind(p[0], p[1]).is_some())
            .count();
        // Each pair is confirmed with probability 3e-4: none of 500, but for a freak seed.
        assert!(linked <= 1, "{linked} of 500 chance pairs taken for copies");
        assert!(groups(&sigs).near.len() <= 1);
        assert!(collapse(&sigs).iter().filter(|c| c.is_some()).count() <= 1);
    }
}
