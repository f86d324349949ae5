//! `newsdex extract`: parse + extract without indexing, in the JSON contract the evaluation
//! scripts read (spans are byte offsets into the body as parsed).

mod common;

use common::{Env, shared};

#[test]
fn json_contract_and_spans_point_into_the_body() {
    let env = Env::new();
    let body =
        "Defence Minister Khawaja Asif warned the Afghan Taliban. Islamabad is ready, Asif said.";
    env.write(
        "a.jsonl",
        format!(
            "{}\n",
            serde_json::json!({"title": "Pakistan warns Kabul", "body": body, "date": "2025-10-11T09:15:00Z"})
        ),
    );
    let r = env.ok(&["extract", "a.jsonl", "--json"], 0);
    let recs = r.json_lines();
    assert_eq!(recs.len(), 1);
    let a = &recs[0];
    for key in [
        "id",
        "path",
        "title",
        "date",
        "date_source",
        "countries",
        "actors",
        "dates_mentioned",
        "statements",
    ] {
        assert!(a.get(key).is_some(), "missing {key}: {a}");
    }
    assert!(a["path"].as_str().unwrap().ends_with("a.jsonl"));
    assert!(a["id"].as_str().unwrap().ends_with("#1"));
    assert_eq!(a["date"], "2025-10-11T09:15:00Z");
    assert_eq!(a["date_source"], "metadata");
    let codes: Vec<&str> = a["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes[0], "PK", "{codes:?}");
    assert!(codes.contains(&"AF"), "{codes:?}");
    for c in a["countries"]
        .as_array()
        .unwrap()
        .iter()
        .chain(a["actors"].as_array().unwrap())
    {
        for span in c["spans"].as_array().unwrap() {
            let (s, e) = (
                span[0].as_u64().unwrap() as usize,
                span[1].as_u64().unwrap() as usize,
            );
            assert!(
                s < e && e <= body.len() && body.is_char_boundary(s) && body.is_char_boundary(e),
                "{c}"
            );
        }
    }
    let asif = a["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "Khawaja Asif")
        .expect("Asif");
    assert_eq!(asif["kind"], "person");
    assert_eq!(asif["role"], "Defence Minister");
    let spans: Vec<String> = asif["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| body[s[0].as_u64().unwrap() as usize..s[1].as_u64().unwrap() as usize].to_string())
        .collect();
    assert_eq!(spans, ["Khawaja Asif", "Asif"]);
}

#[test]
fn text_output_and_unreadable_file() {
    let env = Env::new();
    env.write(
        "2025-03-10-story.txt",
        "Border reopens\n\nThe crossing between Pakistan and Afghanistan reopened.\n",
    );
    let r = env.ok(&["extract", "2025-03-10-story.txt", "missing.txt"], 2);
    assert!(
        r.stdout.contains("title:     Border reopens"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("date:      2025-03-10 (from path)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("PK Pakistan"), "{}", r.stdout);
    assert!(r.stderr.contains("missing.txt"), "{}", r.stderr);
}

/// Needs ../shared (CI and developer machines): the seed article's reader-visible facts.
#[test]
fn seed_article_countries_and_speaker() {
    let Some(file) = common::seed_file() else {
        return;
    };
    let env = Env::new();
    let r = env.ok(&["extract", file.to_str().unwrap(), "--json"], 0);
    let a = &r.json_lines()[0];
    let codes: Vec<&str> = a["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(&codes[..2], ["PK", "AF"], "{codes:?}");
    assert!(
        a["date"].is_null(),
        "the seed carries no date: {}",
        a["date"]
    );
    let asif = a["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "Khawaja Asif")
        .expect("Asif");
    assert_eq!(asif["role"], "Defence Minister");
    assert_eq!(asif["country"], "PK");
    assert!(
        a["actors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["name"] == "Taliban" && x["kind"] == "organisation")
    );
    let people: Vec<&str> = a["actors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "person")
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(people, ["Khawaja Asif"]);
}

/// Needs ../shared: BBC politics/001's people, Patricia Hewitt's role, and "Ms Hewitt" as her.
#[test]
fn bbc_politics_001_people() {
    let Some(shared) = shared() else { return };
    let file = shared.join("corpus/bbc/politics/001.txt");
    let env = Env::new();
    let a = &env
        .ok(&["extract", file.to_str().unwrap(), "--json"], 0)
        .json_lines()[0];
    let people: Vec<&serde_json::Value> = a["actors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "person")
        .collect();
    let names: Vec<&str> = people.iter().map(|x| x["name"].as_str().unwrap()).collect();
    for want in [
        "Patricia Hewitt",
        "Theresa May",
        "Sandra Gidley",
        "David Frost",
        "Gordon Brown",
        "Tony Blair",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    assert!(
        !names.contains(&"Hewitt"),
        "Ms Hewitt must join Patricia Hewitt: {names:?}"
    );
    let hewitt = people
        .iter()
        .find(|x| x["name"] == "Patricia Hewitt")
        .unwrap();
    assert_eq!(hewitt["role"], "Trade and Industry Secretary");
    assert!(hewitt["count"].as_u64().unwrap() >= 3);
}

/// Needs ../shared: real news-please JSON with `date_publish` metadata. Every article that
/// carries a date gets exactly that day; one that carries none gets no date.
#[test]
fn giveme5w1h_publication_dates() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("eval/giveme5w1h-gold/data");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".json"))
        .collect();
    files.sort();
    let env = Env::new();
    let mut args = vec!["extract", "--json"];
    args.extend(files.iter().map(String::as_str));
    let out = env.run(&args);
    let (mut dated, mut right, mut invented) = (0, 0, 0);
    for rec in out.json_lines() {
        let src: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(rec["path"].as_str().unwrap()).unwrap())
                .unwrap();
        match src["date_publish"].as_str() {
            Some(want) => {
                dated += 1;
                right += usize::from(rec["date"].as_str().is_some_and(|d| d[..10] == want[..10]));
            }
            None => invented += usize::from(!rec["date"].is_null()),
        }
    }
    assert!(dated >= 90, "{dated}");
    assert_eq!(invented, 0);
    assert!(right as f64 >= 0.95 * dated as f64, "{right}/{dated}");
}

/// Needs ../shared: the shipped tagger is exactly what the documented retraining command makes
/// from CoNLL-2003's training split, so a change to features or decoding cannot leave a model
/// behind that no command reproduces.
#[test]
fn shipped_ner_model_is_what_train_ner_makes() {
    let Some(shared) = shared() else { return };
    let train = std::fs::read_to_string(shared.join("eval/conll2003/train.txt"))
        .expect("eval/conll2003/train.txt");
    let shipped =
        std::fs::read(common::repo().join("data/ner.model.gz")).expect("data/ner.model.gz");
    let trained = newsdex::extract::ner::train(&train, newsdex::extract::ner::EPOCHS).save();
    assert!(
        trained == shipped,
        "data/ner.model.gz differs from a retrained model ({} vs {} bytes): run \
         `cargo run --release --example train_ner -- ../shared/eval/conll2003/train.txt data/ner.model.gz`",
        shipped.len(),
        trained.len()
    );
}
