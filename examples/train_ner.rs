//! Retrains newsdex's named-entity model from CoNLL-2003 and writes it where the build embeds it:
//! `cargo run --release --example train_ner -- TRAIN.txt data/ner.model.gz [--dev VALID.txt] [--epochs N]`.
//! Deterministic: the same data gives the same bytes. With `--dev`, prints the dev score per epoch.

use std::process::ExitCode;
use std::time::Instant;

use newsdex::extract::ner;

const USAGE: &str = "usage: train_ner TRAIN.txt OUT.model.gz [--dev VALID.txt] [--epochs N]";

fn report(label: &str, counts: &[ner::SpanCounts]) {
    let line: Vec<String> = counts
        .iter()
        .map(|c| {
            format!(
                "{:?} P {:.4} R {:.4} F1 {:.4}",
                c.kind,
                c.precision(),
                c.recall(),
                c.f1()
            )
        })
        .collect();
    println!("{label}: {}", line.join(" | "));
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut paths = Vec::new();
    let mut dev = None;
    let mut epochs = ner::EPOCHS;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dev" => dev = args.next(),
            "--epochs" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => epochs = n,
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            _ => paths.push(a),
        }
    }
    let [train_path, out_path] = paths.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"));
    let (train, dev) = match (read(train_path), dev.as_deref().map(read).transpose()) {
        (Ok(t), Ok(d)) => (t, d),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("train_ner: {e}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let model = ner::train_monitored(&train, epochs, |epoch, m| {
        if let Some(dev) = &dev {
            report(&format!("epoch {epoch:2} dev"), &ner::evaluate(m, dev));
        } else {
            println!("epoch {epoch:2} done");
        }
    });
    let secs = started.elapsed().as_secs_f64();
    let bytes = model.save();
    if let Err(e) = std::fs::write(out_path, &bytes) {
        eprintln!("train_ner: {out_path}: {e}");
        return ExitCode::from(2);
    }
    println!(
        "trained {epochs} epochs in {secs:.1} s; wrote {out_path} ({} bytes)",
        bytes.len()
    );
    if let Some(dev) = &dev {
        report("final dev", &ner::evaluate(&model, dev));
    }
    ExitCode::SUCCESS
}
