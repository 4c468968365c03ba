//! Embeds the built-in curricula in the binary, so an installed `waymark` works anywhere.
//! Writes `$OUT_DIR/builtin_curricula.rs`: a list of (relative path, file bytes) pairs, and
//! `$OUT_DIR/builtin_locales.rs` with the interface locale files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let curricula = root.join("curricula");
    println!("cargo:rerun-if-changed=curricula");
    let mut files = Vec::new();
    collect(&curricula, &mut files);
    files.sort();
    let mut out = String::from("/// Built-in curriculum files: (path relative to `curricula/`, contents).\npub static BUILTIN_FILES: &[(&str, &[u8])] = &[\n");
    for path in &files {
        let rel = path
            .strip_prefix(&curricula)
            .expect("collected under curricula");
        let rel = rel.to_string_lossy().replace('\\', "/");
        writeln!(
            out,
            "    ({rel:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .expect("write to String");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("builtin_curricula.rs");
    std::fs::write(dest, out).expect("write generated file");
    embed_locales(&root);
}

/// The interface locale files (`locales/*.yml`), embedded so that `check` and `translate` can read
/// their text and places; `include_bytes!` also makes cargo rebuild when one of them changes.
fn embed_locales(root: &Path) {
    let locales = root.join("locales");
    println!("cargo:rerun-if-changed=locales");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&locales)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from("/// Built-in interface locale files: (file name, contents).\npub static BUILTIN_LOCALES: &[(&str, &[u8])] = &[\n");
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        writeln!(
            out,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .expect("write to String");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("builtin_locales.rs");
    std::fs::write(dest, out).expect("write generated file");
}

/// Module folders one level down, and the `.toml` files inside them (no dotfiles).
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
}
