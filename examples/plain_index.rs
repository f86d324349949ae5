//! The benchmark's baseline: what a plain tantivy CLI does with the same folder. Title (line 1)
//! and body, both stored, with positions; no extraction, no statements, no incremental
//! bookkeeping. One thread reads the files while tantivy indexes with `THREADS` threads and a
//! 200 MB budget, as `tantivy index` does with a JSON file on its input. The default tokenizer
//! does not stem; `--stem` uses tantivy's own `en_stem`, the words newsdex indexes.
//! Measuring it on the same machine as newsdex puts the two numbers side by side, instead of
//! comparing against a figure taken elsewhere.
//!
//!   cargo run --release --example plain_index -- CORPUS OUT_DIR [THREADS] [--stem]

use std::path::Path;

use tantivy::schema::{IndexRecordOption, STORED, Schema, TEXT, TextFieldIndexing, TextOptions};
use tantivy::{Index, TantivyDocument};

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().collect();
    let stem = args.iter().any(|a| a == "--stem");
    args.retain(|a| a != "--stem");
    let (Some(corpus), Some(out)) = (args.get(1), args.get(2)) else {
        anyhow::bail!("usage: plain_index CORPUS OUT_DIR [THREADS] [--stem]");
    };
    let threads: usize = args.get(3).map_or(Ok(2), |t| t.parse())?;
    let out = Path::new(out);
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    std::fs::create_dir_all(out)?;
    let mut sb = Schema::builder();
    let opts = if stem {
        TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    } else {
        TEXT | STORED
    };
    let title = sb.add_text_field("title", opts.clone());
    let body = sb.add_text_field("body", opts);
    let index = Index::create_in_dir(out, sb.build())?;
    let mut writer = index.writer_with_num_threads(threads, 200_000_000)?;
    let (mut files, mut bytes) = (0u64, 0u64);
    for entry in walkdir::WalkDir::new(corpus) {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let raw = std::fs::read(entry.path())?;
        bytes += raw.len() as u64;
        files += 1;
        let text = String::from_utf8_lossy(&raw);
        let (t, b) = text.split_once('\n').unwrap_or((&text, ""));
        let mut doc = TantivyDocument::default();
        doc.add_text(title, t);
        doc.add_text(body, b);
        writer.add_document(doc)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    // The words scripts/bench.sh reads from newsdex's own summary.
    println!(
        "{files} indexed, 0 updated; read {:.1} MB",
        bytes as f64 / 1_048_576.0
    );
    Ok(())
}
