//! The index schema: field names, their options, the tokenizers they need, and opening an index
//! with a check that it was written with this schema. No other module spells a field name.
//!
//! One index holds three kinds of document, told apart by `kind`: articles, the statements
//! inside them (linked by `article_id`, right after their article in its segment), and one
//! `file` document per crawled file (path, size, mtime, article count) that incremental
//! indexing reads back; every document of a file carries its `path`, so one delete-by-path
//! replaces a file.
//!
//! A statement document holds only what statements are filtered, counted and sorted by
//! (speaker, role, cue, kind, countries, date) and where its words are in its article's body
//! (byte span and word positions). Its words are matched in the article's body postings, and
//! its text, headline and dated text are read from the article document when a hit is shown:
//! repeating them in each statement made statements cost more to index than articles.

use std::path::Path;

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, RawTokenizer, TextAnalyzer};
use tantivy::{DateTime, Index, IndexReader, ReloadPolicy, Searcher, TantivyError};

use crate::error::{Error, Result};

/// Document kind: "article" or "file".
pub const KIND: &str = "kind";
/// Article id (stable, from path and line/row); fast, to gather the ids a query matches.
pub const ID: &str = "id";
/// Absolute path of the source file (on every document: articles, statements, files); fast,
/// to order hits that rank equal (see `crate::search::order`).
pub const PATH: &str = "path";
/// 1-based line/row/element inside a multi-article file (on its articles and their statements);
/// fast, to order hits that rank equal after their path.
pub const LOCATION: &str = "location";
/// Headline, stemmed.
pub const TITLE: &str = "title";
/// Article text, stemmed.
pub const BODY: &str = "body";
/// Where a statement's words are in its article's body: the position (word number, as the
/// body is indexed) of its first word times 2^32, plus the position one past its last; 0 on
/// other documents, so that every document has a value and reading one costs no rank lookup.
/// A statement's words are not indexed again: they are the body's, between these positions
/// (see `crate::search::statement_words`); indexing them twice took a fifth of an index run.
pub const WORDS: &str = "words";
/// Publication date (UTC), fast for sorting and ranges.
pub const DATE: &str = "date";
/// The publication date as ISO 8601 text with its original offset.
pub const DATE_TEXT: &str = "date_text";
/// Where the date came from: metadata, header, path, mtime.
pub const DATE_SOURCE: &str = "date_source";
/// Publisher.
pub const SOURCE: &str = "source";
/// URL.
pub const URL: &str = "url";
/// Author(s).
pub const AUTHOR: &str = "author";
/// ISO 3166-1 alpha-2 codes, most salient first; matched case-blind, counted as written.
pub const COUNTRY: &str = "country";
/// Actor names, one value each; word-matched case-blind, counted whole.
pub const ACTOR: &str = "actor";
/// Who speaks: on a statement, its speaker; on an article, every speaker in it. Counted whole.
pub const SPEAKER: &str = "speaker";
/// The speaker's role (statement documents).
pub const ROLE: &str = "role";
/// The cue of a statement ("said", "warned").
pub const CUE: &str = "cue";
/// "quote" or "reported" (statement documents).
pub const STATEMENT_KIND: &str = "statement_kind";
/// The id of the article a statement comes from.
pub const ARTICLE_ID: &str = "article_id";
/// Byte span of a statement in its article's body: start.
pub const SPAN_START: &str = "span_start";
/// Byte span of a statement in its article's body: end.
pub const SPAN_END: &str = "span_end";
/// 1-based number of a statement inside its article (statement documents; its id is
/// `article_id/sN`); 0 on other documents (see [`WORDS`]). An article and its statements are
/// added as one batch, so they are neighbours in their segment (merges keep the order): the
/// article of statement document `d` is document `d - n`.
pub const STATEMENT_NUMBER: &str = "statement_number";
/// File size in bytes (file documents).
pub const FILE_SIZE: &str = "file_size";
/// File modification time in ns (file documents).
pub const FILE_MTIME: &str = "file_mtime";
/// Number of articles a file yielded (file documents).
pub const FILE_ARTICLES: &str = "file_articles";
/// Exact-copy fingerprint of an article's text (see [`crate::dedup`]), fast.
pub const FINGERPRINT: &str = "fingerprint";
/// Near-copy signature (1-bit MinHash) of an article's text (see [`crate::dedup`]), fast.
pub const NEAR_HASH: &str = "near_hash";
/// The signature confirming a near-copy match (a second MinHash, see [`crate::dedup`]), fast.
pub const NEAR_CONFIRM: &str = "near_confirm";
/// An actor and the role the article gives them, as `name` U+001F `role`; fast only, for
/// counting each actor's most common role.
pub const ACTOR_ROLE: &str = "actor_role";

/// Separates name and role in [`ACTOR_ROLE`] values.
pub const ACTOR_ROLE_SEP: char = '\u{1f}';

/// Written into every commit's metadata and checked on opening. Bump it whenever what is
/// stored changes meaning without the field list changing (a new signature or tokenizer rule),
/// so an older index asks for `--rebuild` instead of answering wrongly.
pub const SCHEMA_VERSION: &str = "newsdex-schema-6";

/// `kind` of an article document.
pub const KIND_ARTICLE: &str = "article";
/// `kind` of a statement document (its words are a span of its article's body).
pub const KIND_STATEMENT: &str = "statement";
/// `kind` of a file document.
pub const KIND_FILE: &str = "file";

/// The first and last second a `date` value can hold: tantivy keeps dates as i64 nanoseconds,
/// from 1677-09-21 to 2262-04-11.
pub const DATE_SECS: std::ops::RangeInclusive<i64> =
    (i64::MIN / 1_000_000_000)..=(i64::MAX / 1_000_000_000);

/// A `date` value for a Unix time in seconds, clamped to [`DATE_SECS`]: tantivy multiplies
/// without a check, so a year such as 9999 (in metadata or a query) would wrap around into
/// another date.
pub fn date_value(secs: i64) -> DateTime {
    DateTime::from_timestamp_secs(secs.clamp(*DATE_SECS.start(), *DATE_SECS.end()))
}

/// Name of the tokenizer for codes: the whole value, lowercased.
const CODE_TOKENIZER: &str = "code";

/// Fast-field tokenizer keeping each value whole and as written, so facets count "Tony Blair"
/// and "PK" while the inverted index matches words and lowercase codes.
const WHOLE_VALUE: &str = "raw";

/// Fields searched when a query names none.
pub const DEFAULT_SEARCH_FIELDS: &[&str] = &[TITLE, BODY];

/// The fields, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// See [`KIND`].
    pub kind: Field,
    /// See [`ID`].
    pub id: Field,
    /// See [`PATH`].
    pub path: Field,
    /// See [`LOCATION`].
    pub location: Field,
    /// See [`TITLE`].
    pub title: Field,
    /// See [`BODY`].
    pub body: Field,
    /// See [`DATE`].
    pub date: Field,
    /// See [`DATE_TEXT`].
    pub date_text: Field,
    /// See [`DATE_SOURCE`].
    pub date_source: Field,
    /// See [`SOURCE`].
    pub source: Field,
    /// See [`URL`].
    pub url: Field,
    /// See [`AUTHOR`].
    pub author: Field,
    /// See [`COUNTRY`].
    pub country: Field,
    /// See [`ACTOR`].
    pub actor: Field,
    /// See [`SPEAKER`].
    pub speaker: Field,
    /// See [`ROLE`].
    pub role: Field,
    /// See [`CUE`].
    pub cue: Field,
    /// See [`STATEMENT_KIND`].
    pub statement_kind: Field,
    /// See [`ARTICLE_ID`].
    pub article_id: Field,
    /// See [`SPAN_START`].
    pub span_start: Field,
    /// See [`SPAN_END`].
    pub span_end: Field,
    /// See [`STATEMENT_NUMBER`].
    pub statement_number: Field,
    /// See [`WORDS`].
    pub words: Field,
    /// See [`FILE_SIZE`].
    pub file_size: Field,
    /// See [`FILE_MTIME`].
    pub file_mtime: Field,
    /// See [`FILE_ARTICLES`].
    pub file_articles: Field,
    /// See [`FINGERPRINT`].
    pub fingerprint: Field,
    /// See [`NEAR_HASH`].
    pub near_hash: Field,
    /// See [`NEAR_CONFIRM`].
    pub near_confirm: Field,
    /// See [`ACTOR_ROLE`].
    pub actor_role: Field,
}

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let o = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored { o.set_stored() } else { o }
}

/// Builds the schema.
pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field(KIND, STRING);
    b.add_text_field(ID, STRING | STORED | FAST);
    b.add_text_field(PATH, STRING | STORED | FAST);
    b.add_u64_field(LOCATION, STORED | FAST);
    b.add_text_field(TITLE, text(super::stem::EN_STEM, true));
    b.add_text_field(BODY, text(super::stem::EN_STEM, true));
    b.add_date_field(
        DATE,
        DateOptions::from(INDEXED)
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    b.add_text_field(DATE_TEXT, STORED);
    b.add_text_field(DATE_SOURCE, STRING | STORED);
    b.add_text_field(SOURCE, text("default", true));
    b.add_text_field(URL, STRING | STORED);
    b.add_text_field(AUTHOR, text("default", true));
    b.add_text_field(COUNTRY, text(CODE_TOKENIZER, true).set_fast(WHOLE_VALUE));
    b.add_text_field(ACTOR, text("default", true).set_fast(WHOLE_VALUE));
    b.add_text_field(SPEAKER, text("default", true).set_fast(WHOLE_VALUE));
    b.add_text_field(ROLE, text("default", true));
    b.add_text_field(CUE, STRING | STORED);
    b.add_text_field(STATEMENT_KIND, STRING | STORED);
    b.add_text_field(ARTICLE_ID, STRING | STORED);
    b.add_u64_field(SPAN_START, STORED);
    b.add_u64_field(SPAN_END, STORED);
    b.add_u64_field(STATEMENT_NUMBER, STORED | FAST);
    b.add_u64_field(WORDS, FAST);
    b.add_u64_field(FILE_SIZE, FAST);
    b.add_u64_field(FILE_MTIME, FAST);
    b.add_u64_field(FILE_ARTICLES, FAST);
    b.add_u64_field(FINGERPRINT, FAST);
    b.add_u64_field(NEAR_HASH, FAST);
    b.add_u64_field(NEAR_CONFIRM, FAST);
    b.add_text_field(ACTOR_ROLE, TextOptions::default().set_fast(WHOLE_VALUE));
    b.build()
}

impl Fields {
    /// Resolves every field of `schema`; errs when one is missing (another schema).
    pub fn new(schema: &Schema) -> Result<Self, TantivyError> {
        let f = |n: &str| schema.get_field(n);
        Ok(Fields {
            kind: f(KIND)?,
            id: f(ID)?,
            path: f(PATH)?,
            location: f(LOCATION)?,
            title: f(TITLE)?,
            body: f(BODY)?,
            date: f(DATE)?,
            date_text: f(DATE_TEXT)?,
            date_source: f(DATE_SOURCE)?,
            source: f(SOURCE)?,
            url: f(URL)?,
            author: f(AUTHOR)?,
            country: f(COUNTRY)?,
            actor: f(ACTOR)?,
            speaker: f(SPEAKER)?,
            role: f(ROLE)?,
            cue: f(CUE)?,
            statement_kind: f(STATEMENT_KIND)?,
            article_id: f(ARTICLE_ID)?,
            span_start: f(SPAN_START)?,
            span_end: f(SPAN_END)?,
            statement_number: f(STATEMENT_NUMBER)?,
            words: f(WORDS)?,
            file_size: f(FILE_SIZE)?,
            file_mtime: f(FILE_MTIME)?,
            file_articles: f(FILE_ARTICLES)?,
            fingerprint: f(FINGERPRINT)?,
            near_hash: f(NEAR_HASH)?,
            near_confirm: f(NEAR_CONFIRM)?,
            actor_role: f(ACTOR_ROLE)?,
        })
    }
}

fn register_tokenizers(index: &Index) {
    // The same tokens as tantivy's own `en_stem`, computed faster (see `stem`).
    index
        .tokenizers()
        .register(super::stem::EN_STEM, super::stem::en_stem());
    index.tokenizers().register(
        CODE_TOKENIZER,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

/// A searcher over the index as last committed. A newsdex process answers once and exits, so
/// its reader never reloads: tantivy's default reader starts a thread watching `meta.json`.
pub fn searcher(index: &Index) -> Result<Searcher> {
    let reader: IndexReader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    Ok(reader.searcher())
}

/// Whether `dir` holds an index (tantivy's `meta.json`).
pub fn index_exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Opens the index in `dir`, creating it (and the folder) when `create` is set and there is none.
/// `create` is the writer's; without it the index is opened to be searched, through
/// [`super::searchdir::SearchDirectory`] (read ahead only as far as tantivy opens a range: a
/// field's norms, a term's postings, a column, a block of stored documents). Errs with [`Error::NoIndex`] or [`Error::SchemaMismatch`] as a user needs to know.
pub fn open_index(dir: &Path, create: bool) -> Result<(Index, Fields)> {
    let index = if index_exists(dir) {
        // Indexing reads and merges whole files, so it keeps the kernel's read-ahead; a search
        // reads pages here and there (see `searchdir`).
        let index = if create {
            Index::open_in_dir(dir)
        } else {
            super::searchdir::SearchDirectory::open(dir).and_then(Index::open)
        }
        .map_err(|e| open_error(dir, e))?;
        let meta = index.load_metas()?;
        // An index created but never committed has no version yet, and nothing to misread.
        let versioned = meta.payload.as_deref() == Some(SCHEMA_VERSION) || meta.segments.is_empty();
        if index.schema() != build_schema() || !versioned {
            return Err(Error::SchemaMismatch(dir.to_path_buf()));
        }
        index
    } else if create {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        Index::create_in_dir(dir, build_schema()).map_err(|e| open_error(dir, e))?
    } else {
        return Err(Error::NoIndex(dir.to_path_buf()));
    };
    register_tokenizers(&index);
    let fields =
        Fields::new(&index.schema()).map_err(|_| Error::SchemaMismatch(dir.to_path_buf()))?;
    Ok((index, fields))
}

fn open_error(dir: &Path, e: TantivyError) -> Error {
    match e {
        TantivyError::SchemaError(_) | TantivyError::IncompatibleIndex(_) => {
            Error::SchemaMismatch(dir.to_path_buf())
        }
        TantivyError::OpenDirectoryError(d) => Error::io(dir, std::io::Error::other(d.to_string())),
        other => Error::Index(other),
    }
}

/// Removes an index's files from `dir` — `meta.json`, `.managed.json` and segment files named
/// `<32 hex digits>.<ext>` — and nothing else, for a `--rebuild` of an index whose schema no
/// longer matches. Other files in the folder (`.gitignore`, a user's) stay.
pub fn remove_index_files(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let segment_file = name.split_once('.').is_some_and(|(stem, _)| {
            stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit())
        });
        let ours = segment_file || name == "meta.json" || name == ".managed.json";
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            std::fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        }
    }
    Ok(())
}
