//! The shapes as JSON Schema (draft 2020-12), for editors: the YAML
//! language server validates and completes a file that names its schema in
//! a `# yaml-language-server: $schema=...` line.

use super::records::FILES;
use super::{Field, Kind, Known, Need, Shape};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// Where `init` and `contextpack schema` write the schemas, from the
/// casebook's root; the scaffolds' `$schema` lines point here.
pub const SCHEMA_DIR: &str = "schemas";

/// One schema file: `context.schema.json` and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaFile {
    pub name: String,
    /// The record it describes: `context`, `meeting`.
    pub record: &'static str,
    pub text: String,
}

/// Every record's schema, its references limited to what `known` holds.
pub fn files(known: &Known) -> Vec<SchemaFile> {
    FILES
        .iter()
        .map(|(record, shape)| {
            let mut schema = Map::new();
            schema.insert(
                "$schema".into(),
                json!("https://json-schema.org/draft/2020-12/schema"),
            );
            schema.insert("title".into(), json!(title(record)));
            if let Value::Object(body) = record_schema(shape, known) {
                schema.extend(body);
            }
            let mut text = serde_json::to_string_pretty(&Value::Object(schema))
                .expect("a schema is plain JSON");
            text.push('\n');
            SchemaFile {
                name: file_name(record),
                record,
                text,
            }
        })
        .collect()
}

/// `context.schema.json`.
pub fn file_name(record: &str) -> String {
    format!("{record}.schema.json")
}

fn title(record: &str) -> &'static str {
    match record {
        "contextpack" => "contextpack.yaml",
        "context" => "cases/<id>/context.yaml",
        "assessment" => "cases/<id>/assessment.md (front matter)",
        "meeting" => "cases/<id>/conferences/<YYYY-MM-DD>-<kind>.md (front matter)",
        _ => "cases/<id>/plan.yaml",
    }
}

/// Writes every schema into `dir`, replacing what is there; returns the
/// paths written.
pub fn write_all(dir: &Path, known: &Known) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    files(known)
        .into_iter()
        .map(|f| {
            let path = dir.join(&f.name);
            std::fs::write(&path, f.text)?;
            Ok(path)
        })
        .collect()
}

fn record_schema(shape: &Shape, known: &Known) -> Value {
    let properties: Map<String, Value> = shape
        .fields
        .iter()
        .map(|f| (f.name.to_string(), field_schema(f, known)))
        .collect();
    let required: Vec<&str> = shape
        .fields
        .iter()
        .filter(|f| f.need != Need::Optional)
        .map(|f| f.name)
        .collect();
    let mut schema = json!({
        "type": "object",
        "description": shape.doc,
        "properties": properties,
        "additionalProperties": false,
    });
    // The loader reads no value as an empty mapping: fine for a record
    // with no required field (an empty plan.yaml).
    if required.is_empty() {
        schema["type"] = json!(["object", "null"]);
    } else {
        schema["required"] = json!(required);
    }
    schema
}

/// A field's schema: what it holds, with its description. A field that may
/// be left out may also be written with no value (`closed:`), as the
/// loader reads that as not given; a list may always be empty that way.
fn field_schema(field: &Field, known: &Known) -> Value {
    let schema = kind_schema(&field.kind, known);
    let mut schema = if field.need == Need::Required {
        schema
    } else {
        json!({ "anyOf": [schema, { "type": "null" }] })
    };
    schema["description"] = json!(field.doc);
    schema
}

const SCALAR: [&str; 3] = ["string", "number", "boolean"];

fn kind_schema(kind: &Kind, known: &Known) -> Value {
    match kind {
        Kind::Text => json!({ "type": SCALAR }),
        Kind::NonBlank => json!({ "type": SCALAR, "pattern": "\\S" }),
        // `7` and `true` are the ids `7` and `true`: YAML reads them as a
        // number and a boolean, and the loader takes them as written.
        Kind::Id => json!({
            "type": ["string", "integer", "boolean"],
            "pattern": "^[a-z0-9][a-z0-9-]*$",
            "minimum": 0,
        }),
        Kind::Ref(targets) => {
            let mut ids: Vec<&str> = Vec::new();
            for t in *targets {
                match known.ids(*t) {
                    Some(list) => ids.extend(list.iter().map(String::as_str)),
                    None => return json!({ "type": SCALAR }),
                }
            }
            ids.sort_unstable();
            ids.dedup();
            json!({ "enum": ids })
        }
        Kind::PersonOrName => match known.ids(super::Target::Person) {
            Some(ids) => json!({ "type": SCALAR, "examples": ids }),
            None => json!({ "type": SCALAR }),
        },
        Kind::Date => {
            json!({ "type": "string", "pattern": "^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*$" })
        }
        Kind::Time => json!({ "type": "string", "pattern": "^\\s*[0-9]{1,2}:[0-9]{2}\\s*$" }),
        Kind::Month => json!({ "type": "string", "pattern": "^\\s*[0-9]{4}-[0-9]{2}\\s*$" }),
        Kind::Bool => json!({ "type": "boolean" }),
        Kind::Number => json!({ "type": "number" }),
        Kind::Whole { min, max } => json!({ "type": "integer", "minimum": min, "maximum": max }),
        Kind::Words(words) => json!({ "enum": words }),
        Kind::List(item) => json!({ "type": "array", "items": kind_schema(item, known) }),
        Kind::Record(shape) => record_schema(shape, known),
        Kind::Either(kinds) => {
            let any: Vec<Value> = kinds.iter().map(|k| kind_schema(k, known)).collect();
            json!({ "anyOf": any })
        }
        Kind::Keyed { keys, values } => {
            let values = match values {
                // `peer-group:` with no roles is an empty list.
                Kind::List(_) => {
                    json!({ "anyOf": [kind_schema(values, known), { "type": "null" }] })
                }
                _ => kind_schema(values, known),
            };
            json!({
                "type": ["object", "null"],
                "propertyNames": kind_schema(keys, known),
                "additionalProperties": values,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_has_a_schema_naming_its_fields() {
        let files = files(&Known::builtin());
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "contextpack.schema.json",
                "context.schema.json",
                "assessment.schema.json",
                "meeting.schema.json",
                "plan.schema.json"
            ]
        );
        let plan: Value = serde_json::from_str(&files[4].text).unwrap();
        let action = &plan["properties"]["actions"]["anyOf"][0]["items"];
        assert_eq!(action["additionalProperties"], json!(false));
        assert_eq!(action["required"], json!(["id", "action"]));
        assert_eq!(
            action["properties"]["status"]["anyOf"][0]["enum"],
            json!(["planned", "in-progress", "done", "dropped"])
        );
        assert!(
            action["properties"]["due"]["description"]
                .as_str()
                .unwrap()
                .contains("due")
        );
    }

    #[test]
    fn references_are_the_casebooks_ids_when_known_and_open_when_not() {
        let mut known = Known::builtin();
        let open = files(&known);
        let meeting: Value = serde_json::from_str(&open[3].text).unwrap();
        assert_eq!(
            meeting["properties"]["chair"]["anyOf"][0],
            json!({ "type": SCALAR })
        );
        known.set(
            super::super::Target::Person,
            ["kim-davies".to_string(), "jo-smith".to_string()],
        );
        let closed = files(&known);
        let meeting: Value = serde_json::from_str(&closed[3].text).unwrap();
        assert_eq!(
            meeting["properties"]["chair"]["anyOf"][0],
            json!({ "enum": ["jo-smith", "kim-davies"] })
        );
        let exception = &meeting["properties"]["exceptions"]["anyOf"][0]["items"];
        let rules = exception["properties"]["rule"]["enum"].as_array().unwrap();
        assert!(rules.contains(&json!("review-within")));
    }
}
