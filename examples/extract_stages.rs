//! Extraction alone, one thread, stage by stage: where the time of `extract()` goes.
//!
//!   cargo run --release --example extract_stages -- FOLDER
//!
//! Prints MB/s of article text for the whole of `extract()` and the share of each extractor.
//! Part of the benchmark (scripts/bench.sh); nothing here is asserted.

use std::time::{Duration, Instant};

use newsdex::extract::{self, actors, countries, mentions, ner, statements};

fn main() -> anyhow::Result<()> {
    let root = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: extract_stages FOLDER"))?;
    let mut articles = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = std::fs::canonicalize(entry.path())?;
        let bytes = std::fs::read(&path)?;
        if let Ok(parsed) = newsdex::parse::parse_bytes(&path.to_string_lossy(), &bytes, 1 << 26) {
            articles.extend(parsed.articles);
        }
    }
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    let mb = bytes as f64 / 1_048_576.0;
    // Decode the model before timing: that is a once-per-process cost.
    ner::model();

    let mut stage = [Duration::ZERO; 5];
    let names = [
        "tagger (ner::tag)",
        "actors after tagging",
        "countries",
        "statements",
        "dates mentioned",
    ];
    let t_all = Instant::now();
    for a in &articles {
        let _ = extract::extract(a);
    }
    let all = t_all.elapsed();
    for a in &articles {
        let t = Instant::now();
        let _ = ner::model().tag(&a.body);
        stage[0] += t.elapsed();
        let t = Instant::now();
        let found = actors::find(&a.title, &a.body);
        stage[1] += t.elapsed();
        let t = Instant::now();
        let _ = countries::find(&a.title, &a.body);
        stage[2] += t.elapsed();
        let t = Instant::now();
        let _ = statements::find(&a.body, &found);
        stage[3] += t.elapsed();
        let t = Instant::now();
        let _ = mentions::find(&a.body, None);
        stage[4] += t.elapsed();
    }
    // actors::find tags body and title itself: its own share is the difference.
    stage[1] = stage[1].saturating_sub(stage[0]);
    println!(
        "{} articles, {mb:.1} MB: extract() {:.2} s, {:.1} MB/s on one core",
        articles.len(),
        all.as_secs_f64(),
        mb / all.as_secs_f64()
    );
    let sum: f64 = stage.iter().map(Duration::as_secs_f64).sum();
    for (n, d) in names.iter().zip(stage) {
        println!(
            "  {n:<22} {:>6.3} s  {:>5.1}%",
            d.as_secs_f64(),
            100.0 * d.as_secs_f64() / sum
        );
    }
    Ok(())
}
