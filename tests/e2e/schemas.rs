//! `contextpack schema`: the JSON Schemas editors validate records with.
//! Held to the loader both ways: every record of every fixture (each of
//! which checks without errors) is valid, and whatever the schema refuses
//! in a mutated record, `check` refuses too.

use crate::common::{Rng, TODAY, TestCasebook};
use jsonschema::Validator;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

/// The schemas `contextpack schema` writes for the casebook at `cb`, by record.
fn schemas(cb: &TestCasebook) -> BTreeMap<String, Validator> {
    let out = cb.path().join("schemas");
    cb.cmd(&["schema", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    ["contextpack", "context", "assessment", "meeting", "plan"]
        .iter()
        .map(|record| {
            let text = std::fs::read_to_string(out.join(format!("{record}.schema.json")))
                .expect("schema written");
            let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
            let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
            (record.to_string(), validator)
        })
        .collect()
}

/// A record file of the casebook: its path, the record its schema is named
/// after, its YAML (the front matter of Markdown) and the Markdown body.
struct Record {
    path: String,
    record: &'static str,
    yaml: String,
    body: Option<String>,
}

fn records(root: &Path) -> Vec<Record> {
    let mut out = Vec::new();
    for (path, bytes) in crate::common::tree(root) {
        let record = match path.as_str() {
            "contextpack.yaml" => "contextpack",
            p if !p.starts_with("cases/") => continue,
            p if p.ends_with("/context.yaml") => "context",
            p if p.ends_with("/plan.yaml") => "plan",
            p if p.ends_with("/assessment.md") => "assessment",
            p if p.contains("/conferences/") && p.ends_with(".md") => "meeting",
            _ => continue,
        };
        let text = String::from_utf8(bytes).expect("records are UTF-8");
        let (yaml, body) = if path.ends_with(".md") {
            let rest = text.strip_prefix("---\n").expect("front matter");
            let end = rest.find("\n---").expect("front matter ends");
            (rest[..end].to_string(), Some(rest[end + 4..].to_string()))
        } else {
            (text, None)
        };
        out.push(Record {
            path,
            record,
            yaml,
            body,
        });
    }
    out
}

fn as_json(yaml: &str) -> Value {
    serde_saphyr::from_str::<Value>(yaml).expect("the record is YAML")
}

fn invalid(validator: &Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_record_of_every_fixture_is_valid_against_its_schema() {
    let casebooks = [
        TestCasebook::sample(),
        TestCasebook::fixture("clean"),
        TestCasebook::fixture("due-mixed"),
        TestCasebook::fixture("summary-counts"),
    ];
    let mut checked = 0;
    for cb in &casebooks {
        let schemas = schemas(cb);
        for r in records(cb.path()) {
            let errors = invalid(&schemas[r.record], &as_json(&r.yaml));
            assert!(errors.is_empty(), "{}: {errors:#?}", r.path);
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} records");
}

/// The paths (JSON pointers) of every value in `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                pointers(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// What a careless edit puts where a value was.
fn wrong_values() -> Vec<Value> {
    vec![
        json!("not a valid value"),
        json!("High"),
        json!("01/12/2026"),
        json!(12345),
        json!(-3),
        json!(2.5),
        json!(true),
        json!(null),
        json!(["x"]),
        json!({ "unknown_field": 1 }),
        json!(""),
        json!("NOT-AN-ID"),
    ]
}

/// One mutation of `v`: a value replaced, a key removed or an unknown key
/// added, at a place chosen by `rng`.
fn mutate(v: &Value, rng: &mut Rng) -> Value {
    let mut all = Vec::new();
    pointers(v, String::new(), &mut all);
    let mut out = v.clone();
    let at = &all[rng.below(all.len())];
    match rng.below(3) {
        0 => {
            let values = wrong_values();
            if at.is_empty() {
                out = values[rng.below(values.len())].clone();
            } else {
                *out.pointer_mut(at).unwrap() = values[rng.below(values.len())].clone();
            }
        }
        1 => {
            let (parent, key) = at.rsplit_once('/').unwrap_or(("", ""));
            if let Some(Value::Object(m)) = out.pointer_mut(parent) {
                m.remove(&key.replace("~1", "/").replace("~0", "~"));
            }
        }
        _ => {
            if let Some(Value::Object(m)) = out.pointer_mut(at) {
                m.insert("colour".into(), json!("red"));
            }
        }
    }
    out
}

fn write_record(root: &Path, r: &Record, value: &Value) {
    let json = serde_json::to_string(value).unwrap();
    let text = match &r.body {
        Some(body) => format!("---\n{json}\n---{body}"),
        None => json,
    };
    std::fs::write(root.join(&r.path), text).unwrap();
}

fn errors(root: &Path) -> usize {
    let today = contextpack::model::Date::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    match contextpack::check_casebook(root, Some(today)) {
        Ok(checked) => checked
            .diagnostics
            .iter()
            .filter(|d| d.kind == contextpack::diagnostic::Kind::Error)
            .count(),
        // contextpack.yaml unreadable: `check` exits 2.
        Err(_) => usize::MAX,
    }
}

#[test]
fn what_the_schema_refuses_check_refuses() {
    let cb = TestCasebook::sample();
    let schemas = schemas(&cb);
    assert_eq!(errors(cb.path()), 0, "the sample has errors");
    let records = records(cb.path());
    // More with CONTEXTPACK_SCHEMA_MUTATIONS=5000 (and a seed to vary).
    let wanted: usize = std::env::var("CONTEXTPACK_SCHEMA_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let seed: u64 = std::env::var("CONTEXTPACK_SCHEMA_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_cafe_f00d);
    let mut rng = Rng::new(seed);
    let (mut refused, mut allowed) = (0, 0);
    for round in 0..wanted * 20 {
        if refused >= wanted {
            break;
        }
        let r = &records[rng.below(records.len())];
        let mutated = mutate(&as_json(&r.yaml), &mut rng);
        let why = invalid(&schemas[r.record], &mutated);
        if why.is_empty() {
            allowed += 1;
            continue;
        }
        refused += 1;
        write_record(cb.path(), r, &mutated);
        let found = errors(cb.path());
        assert!(
            found > 0,
            "round {round}: the schema refuses {} ({why:?}) but `check` finds no error in\n{}",
            r.path,
            serde_json::to_string_pretty(&mutated).unwrap()
        );
        let text = match &r.body {
            Some(body) => format!("---\n{}\n---{body}", r.yaml),
            None => r.yaml.clone(),
        };
        std::fs::write(cb.path().join(&r.path), text).unwrap();
    }
    assert!(refused >= wanted, "only {refused} mutations refused");
    assert!(
        allowed > 0,
        "every mutation refused: the mutations are too blunt"
    );
}
