//! Finds module folders in every source (built-in, user data folder, `WAYMARK_CURRICULA`,
//! `--curricula`), reads them with size and encoding checks, and builds the `Catalog`.
//! Each module and each translation fails alone; the later source wins for a module id.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_i18n::t;

use super::diagnostic::{Diagnostic, Severity, SourceFile};
use super::locale_tag;
use super::model::{Catalog, Failed, Module, Origin, SourceKind};
use super::validate::{self, MAX_FILE_BYTES};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_curricula.rs"));
}

/// The folder name a built-in module is shown under.
pub const BUILTIN_PREFIX: &str = "<built-in>";

/// Where to look for modules, in order: later entries shadow earlier ones.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub builtin: bool,
    pub dirs: Vec<(SourceKind, PathBuf)>,
}

impl Sources {
    /// Built-in modules, then `curricula/` in the data folder, then `WAYMARK_CURRICULA` (a path
    /// list), then each `--curricula` folder.
    pub fn standard(
        data_dir: Option<&Path>,
        env: Option<&std::ffi::OsStr>,
        flags: &[PathBuf],
    ) -> Self {
        let mut dirs = Vec::new();
        if let Some(data) = data_dir {
            dirs.push((SourceKind::UserData, data.join("curricula")));
        }
        if let Some(env) = env {
            dirs.extend(
                std::env::split_paths(env)
                    .filter(|p| !p.as_os_str().is_empty())
                    .map(|p| (SourceKind::Env, p)),
            );
        }
        dirs.extend(flags.iter().map(|p| (SourceKind::Flag, p.clone())));
        Self {
            builtin: true,
            dirs,
        }
    }
}

/// One file of a module folder, read or refused.
struct FolderFile {
    /// File name, e.g. `module.toml` or `pt-BR.toml`.
    name: String,
    path: PathBuf,
    bytes: Result<Cow<'static, [u8]>, Box<Diagnostic>>,
}

/// A module folder ready to check.
struct Folder {
    name: String,
    origin: Origin,
    files: Vec<FolderFile>,
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Reads a file unless it is too large or unreadable; either way the result is a value.
fn read_limited(path: &Path) -> Result<Cow<'static, [u8]>, Box<Diagnostic>> {
    let file = SourceFile::new(display(path), None);
    let meta = std::fs::metadata(path).map_err(|e| Box::new(unreadable(&file, &e)))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Box::new(validate::too_large(&file, meta.len())));
    }
    std::fs::read(path)
        .map(Cow::Owned)
        .map_err(|e| Box::new(unreadable(&file, &e)))
}

fn unreadable(file: &SourceFile, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("unreadable", t!("check.unreadable", error = e.to_string()))
        .at(file, None)
        .help(t!("check.unreadable_help"))
}

fn is_toml_file(name: &str) -> bool {
    !name.starts_with('.') && name.ends_with(".toml")
}

/// A module folder on disk: `module.toml` and the translation files beside it.
fn disk_folder(dir: &Path, kind: SourceKind, only: Option<&str>) -> Folder {
    // `.` and `..` have no name of their own: ask the file system.
    let name = dir
        .file_name()
        .map(ToOwned::to_owned)
        .or_else(|| dir.canonicalize().ok()?.file_name().map(ToOwned::to_owned))
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| is_toml_file(n))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    if let Some(only) = only {
        names.retain(|n| n == "module.toml" || n == only);
    }
    let files = names
        .into_iter()
        .map(|n| {
            let path = dir.join(&n);
            FolderFile {
                bytes: read_limited(&path),
                name: n,
                path,
            }
        })
        .collect();
    Folder {
        name,
        origin: Origin {
            kind,
            dir: dir.to_path_buf(),
        },
        files,
    }
}

/// The built-in module folders, from the files embedded at build time.
fn builtin_folders() -> Vec<Folder> {
    let mut folders: BTreeMap<&str, Vec<FolderFile>> = BTreeMap::new();
    for (rel, bytes) in builtin::BUILTIN_FILES {
        let Some((module, name)) = rel.split_once('/') else {
            continue;
        };
        if name.contains('/') || !is_toml_file(name) {
            continue;
        }
        let path = Path::new(BUILTIN_PREFIX).join(rel);
        let bytes = if bytes.len() as u64 > MAX_FILE_BYTES {
            Err(Box::new(validate::too_large(
                &SourceFile::new(display(&path), None),
                bytes.len() as u64,
            )))
        } else {
            Ok(Cow::Borrowed(*bytes))
        };
        folders.entry(module).or_default().push(FolderFile {
            name: name.to_string(),
            path,
            bytes,
        });
    }
    folders
        .into_iter()
        .map(|(module, files)| Folder {
            name: module.to_string(),
            origin: Origin {
                kind: SourceKind::BuiltIn,
                dir: Path::new(BUILTIN_PREFIX).join(module),
            },
            files,
        })
        .collect()
}

/// What loading has gathered so far: the modules by id (the later source winning), every
/// diagnostic, and the files that did not load and that nothing later has replaced.
#[derive(Default)]
struct Loading {
    by_id: BTreeMap<String, Module>,
    diags: Vec<Diagnostic>,
    failed: Vec<Failed>,
}

impl Loading {
    fn finish(self) -> Catalog {
        Catalog {
            modules: self.by_id.into_values().collect(),
            diagnostics: self.diags,
            failed: self.failed,
        }
    }

    /// Adds checked folders in order, the later winning for the same id. A folder that does not
    /// load leaves the earlier copy in use, with a note, and is remembered as failed.
    fn merge(&mut self, folders: Vec<Folder>) {
        for folder in folders {
            let name = folder.name.clone();
            let dir = folder.origin.dir.clone();
            let (module, mut found, failed) = check_folder(folder);
            let errors = errors_of(&found);
            self.diags.append(&mut found);
            let Some(module) = module else {
                let here = SourceFile::new(display(&dir.join("module.toml")), None);
                let mut failure = Failed {
                    id: name.clone(),
                    locale: None,
                    path: dir.join("module.toml"),
                    diagnostics: errors,
                };
                if let Some(old) = self.by_id.get(&name) {
                    let note = Diagnostic::note(
                        "kept-earlier",
                        t!(
                            "check.kept_earlier",
                            id = name.as_str(),
                            old = display(&old.origin.dir.join("module.toml"))
                        ),
                    )
                    .at(&here, None);
                    failure.diagnostics.push(note.clone());
                    self.diags.push(note);
                }
                self.failed.push(failure);
                continue;
            };
            if let Some(old) = self.by_id.get(&module.id) {
                let here = SourceFile::new(display(&module.origin.dir.join("module.toml")), None);
                self.diags.push(
                    Diagnostic::note(
                        "shadowed",
                        t!(
                            "check.shadowed",
                            id = module.id.as_str(),
                            old = display(&old.origin.dir.join("module.toml"))
                        ),
                    )
                    .at(&here, None),
                );
            }
            // This copy is the one in use now: what failed before it no longer matters.
            self.failed.retain(|f| f.id != module.id);
            self.failed.extend(failed);
            self.by_id.insert(module.id.clone(), module);
        }
    }

    /// Adds each overlay folder's translations to the module named like the folder.
    fn apply_overlays(&mut self, overlays: Vec<Folder>) {
        for folder in overlays {
            match self.by_id.get_mut(&folder.name) {
                Some(module) => {
                    add_translations(module, folder.files, &mut self.diags, &mut self.failed)
                }
                None => {
                    let file = SourceFile::new(display(&folder.origin.dir), None);
                    self.diags.push(
                        Diagnostic::warning(
                            "orphan-translation",
                            t!("check.orphan_translation", id = folder.name.as_str()),
                        )
                        .at(&file, None)
                        .help(t!("check.orphan_translation_help")),
                    );
                }
            }
        }
    }

    /// Takes in a catalog loaded on its own, its modules replacing those of the same id.
    fn absorb(&mut self, c: Catalog) {
        for m in c.modules {
            self.failed.retain(|f| f.id != m.id);
            self.by_id.insert(m.id.clone(), m);
        }
        self.diags.extend(c.diagnostics);
        self.failed.extend(c.failed);
    }
}

fn errors_of(diags: &[Diagnostic]) -> Vec<Diagnostic> {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect()
}

/// Checks one module folder: the module first, then each translation against it. Also returns
/// the translation files that did not load.
fn check_folder(folder: Folder) -> (Option<Module>, Vec<Diagnostic>, Vec<Failed>) {
    let mut diags = Vec::new();
    let mut failed = Vec::new();
    let mut files = folder.files.into_iter();
    let (module_files, translations): (Vec<_>, Vec<_>) =
        files.by_ref().partition(|f| f.name == "module.toml");
    let Some(module_file) = module_files.into_iter().next() else {
        let file = SourceFile::new(display(&folder.origin.dir.join("module.toml")), None);
        diags.push(
            Diagnostic::error("missing-module-file", t!("check.missing_module_file"))
                .at(&file, None)
                .help(t!("check.missing_module_file_help")),
        );
        return (None, diags, failed);
    };
    let file = match module_file
        .bytes
        .and_then(|b| validate::decode(&display(&module_file.path), &b))
    {
        Ok(f) => f,
        Err(d) => {
            diags.push(*d);
            return (None, diags, failed);
        }
    };
    let (module, mut found) = validate::module(&file, &folder.name, folder.origin);
    diags.append(&mut found);
    let Some(mut module) = module else {
        return (None, diags, failed);
    };
    add_translations(&mut module, translations, &mut diags, &mut failed);
    (Some(module), diags, failed)
}

/// Checks translation files against `module` and adds those that load; a later file replaces
/// an earlier one for the same language. A file that does not load is added to `failed`; one
/// that loads clears what failed before it for its language.
fn add_translations(
    module: &mut Module,
    translations: Vec<FolderFile>,
    diags: &mut Vec<Diagnostic>,
    failed: &mut Vec<Failed>,
) {
    for tf in translations {
        let locale = tf.name.trim_end_matches(".toml").to_string();
        let shown = if locale_tag::is_valid(&locale) {
            locale_tag::canonical(&locale)
        } else {
            locale.clone()
        };
        let mut failure = Failed {
            id: module.id.clone(),
            locale: Some(shown),
            path: tf.path.clone(),
            diagnostics: Vec::new(),
        };
        let file = match tf
            .bytes
            .and_then(|b| validate::decode(&display(&tf.path), &b))
        {
            Ok(f) => f,
            Err(d) => {
                failure.diagnostics.push((*d).clone());
                failed.push(failure);
                diags.push(*d);
                continue;
            }
        };
        let (tr, mut found) = validate::translation(&file, &locale, tf.path, module);
        match tr {
            Some(tr) => {
                failed.retain(|f| {
                    f.id != module.id
                        || !f
                            .locale
                            .as_deref()
                            .is_some_and(|l| l.eq_ignore_ascii_case(&tr.locale))
                });
                module
                    .translations
                    .retain(|k, _| !k.eq_ignore_ascii_case(&tr.locale));
                module.translations.insert(tr.locale.clone(), tr);
            }
            None => {
                failure.diagnostics = errors_of(&found);
                failed.push(failure);
            }
        }
        diags.append(&mut found);
    }
}

/// Folders under `dir` with translation files but no `module.toml`: translations added to the
/// module of the same id from another source (how a built-in module gets a new language).
fn overlays_in(dir: &Path, kind: SourceKind) -> Vec<Folder> {
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir() && !p.join("module.toml").exists())
                .collect()
        })
        .unwrap_or_default();
    subdirs.sort();
    subdirs
        .into_iter()
        .map(|d| disk_folder(&d, kind, None))
        .filter(|f| !f.files.is_empty())
        .collect()
}

/// The module folders under `dir`: `dir` itself when it holds `module.toml`, else its
/// sub-folders that do.
fn folders_in(dir: &Path, kind: SourceKind) -> Vec<Folder> {
    if dir.join("module.toml").is_file() {
        return vec![disk_folder(dir, kind, None)];
    }
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.join("module.toml").is_file())
                .collect()
        })
        .unwrap_or_default();
    subdirs.sort();
    subdirs
        .into_iter()
        .map(|d| disk_folder(&d, kind, None))
        .collect()
}

/// Loads every module from `sources`. Never fails: problems are diagnostics.
pub fn load(sources: &Sources) -> Catalog {
    let mut loading = Loading::default();
    let mut overlays = Vec::new();
    if sources.builtin {
        loading.merge(builtin_folders());
    }
    for (kind, dir) in &sources.dirs {
        if !dir.is_dir() {
            // The data folder's curricula/ is optional; a folder someone named must exist.
            if *kind != SourceKind::UserData {
                let file = SourceFile::new(display(dir), None);
                loading.diags.push(
                    Diagnostic::error("missing-folder", t!("check.missing_folder"))
                        .at(&file, None)
                        .help(t!("check.missing_folder_help")),
                );
            }
            continue;
        }
        loading.merge(folders_in(dir, *kind));
        if !dir.join("module.toml").is_file() {
            overlays.extend(overlays_in(dir, *kind));
        }
    }
    loading.apply_overlays(overlays);
    loading.finish()
}

/// What a path on the command line of `check` names.
#[derive(Debug)]
pub enum PathError {
    NotFound(PathBuf),
    NotCurriculum(PathBuf),
}

/// Loads the modules a list of paths names: module folders, folders of module folders, or single
/// `module.toml` / `<lang>.toml` files (a translation is checked against the module beside it).
pub fn load_paths(paths: &[PathBuf]) -> Result<Catalog, PathError> {
    let mut loading = Loading::default();
    for path in paths {
        let folders = if path.is_file() {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !name.ends_with(".toml") {
                return Err(PathError::NotCurriculum(path.clone()));
            }
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let dir = if dir == Path::new(".") {
                std::env::current_dir().unwrap_or(dir)
            } else {
                dir
            };
            if let Some(catalog) = builtin_overlay(&dir, Some(&name), path) {
                loading.absorb(catalog);
                continue;
            }
            let mut folder = disk_folder(&dir, SourceKind::Path, Some(&name));
            // Keep the paths as the user typed them.
            for f in &mut folder.files {
                if f.name == name {
                    f.path = path.clone();
                }
            }
            vec![folder]
        } else if path.is_dir() {
            let found = folders_in(path, SourceKind::Path);
            if found.is_empty() {
                if let Some(catalog) = builtin_overlay(path, None, path) {
                    loading.absorb(catalog);
                    continue;
                }
                return Err(PathError::NotCurriculum(path.clone()));
            }
            found
        } else {
            return Err(PathError::NotFound(path.clone()));
        };
        loading.merge(folders);
    }
    Ok(loading.finish())
}

/// Checks the translation files of `dir`, a folder without `module.toml` named after a built-in
/// module, against that module (only `only` when given, shown as `shown`).
fn builtin_overlay(dir: &Path, only: Option<&str>, shown: &Path) -> Option<Catalog> {
    if dir.join("module.toml").exists() {
        return None;
    }
    let mut folder = disk_folder(dir, SourceKind::Path, only);
    let builtin: Vec<Folder> = builtin_folders()
        .into_iter()
        .filter(|f| f.name == folder.name)
        .collect();
    if builtin.is_empty() || folder.files.is_empty() {
        return None;
    }
    let mut loading = Loading::default();
    loading.merge(builtin);
    if let Some(only) = only {
        for f in &mut folder.files {
            if f.name == only {
                f.path = shown.to_path_buf();
            }
        }
    }
    loading.apply_overlays(vec![folder]);
    Some(loading.finish())
}

/// The built-in files, for tools that write next to them (translations) or test them.
pub fn builtin_files() -> &'static [(&'static str, &'static [u8])] {
    builtin::BUILTIN_FILES
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good_one() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good/good-one")
    }

    /// A source folder holding a copy of `good-one`, its `module.toml` passed through `edit`, and
    /// an `es.toml` passed through `edit_es`.
    fn source(root: &Path, name: &str, edit: fn(String) -> String, edit_es: fn(String) -> String) {
        let dir = root.join(name).join("good-one");
        std::fs::create_dir_all(&dir).unwrap();
        let read = |f: &str| std::fs::read_to_string(good_one().join(f)).unwrap();
        std::fs::write(dir.join("module.toml"), edit(read("module.toml"))).unwrap();
        std::fs::write(dir.join("es.toml"), edit_es(read("es.toml"))).unwrap();
    }

    fn flags(root: &Path, names: &[&str]) -> Sources {
        Sources {
            builtin: false,
            dirs: names
                .iter()
                .map(|n| (SourceKind::Flag, root.join(n)))
                .collect(),
        }
    }

    #[test]
    fn a_broken_later_copy_is_remembered_until_a_copy_after_it_loads() {
        let root = tempfile::tempdir().unwrap();
        let same = |s: String| s;
        let broken = |s: String| format!("[[[\n{s}");
        source(root.path(), "a", same, same);
        source(root.path(), "b", broken, same);
        source(root.path(), "c", same, broken);

        // a loads, b does not: a stays in use, and b is remembered with its errors and the note.
        let catalog = load(&flags(root.path(), &["a", "b"]));
        let m = catalog.module("good-one").unwrap();
        assert!(m.origin.dir.starts_with(root.path().join("a")));
        let failed = catalog.failed_for("good-one", None);
        assert_eq!(failed.len(), 1);
        assert_eq!(
            failed[0].path,
            root.path().join("b/good-one/module.toml"),
            "{failed:?}"
        );
        let codes: Vec<&str> = failed[0].diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"kept-earlier"), "{codes:?}");
        assert!(failed[0]
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error));

        // c loads after b: b no longer matters, but c's broken Spanish does, for Spanish only.
        let catalog = load(&flags(root.path(), &["a", "b", "c"]));
        assert!(catalog.failed_for("good-one", None).is_empty());
        let es = catalog.failed_for("good-one", Some("ES"));
        assert_eq!(es.len(), 1);
        assert_eq!(es[0].path, root.path().join("c/good-one/es.toml"));
        assert!(catalog.failed_for("good-one", Some("fr")).is_empty());
        assert!(catalog.failed_for("other", Some("es")).is_empty());

        // A broken earlier copy is passed over by a good later one: nothing to report.
        let catalog = load(&flags(root.path(), &["b", "a"]));
        assert!(catalog.failed.is_empty(), "{:?}", catalog.failed);
    }
}
