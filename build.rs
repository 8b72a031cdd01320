//! Compiles every `detectors/*.toml` and every word list `detectors/lists/**/*.txt` into the
//! binary, so that adding a detector or a word is a data change.

use std::{env, fs, path::Path};

fn main() {
    // Read when the script runs, not when it is compiled: a target directory shared by two
    // checkouts reuses one compiled script for both.
    let manifest = env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("detectors");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("detectors/ directory exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// Built-in detector files: (file name, contents).\npub static BUILTIN_DETECTORS: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 file name");
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
    }
    out.push_str("];\n");
    // Word lists (`detectors/lists/**/*.txt`), by path below `lists/` without `.txt`.
    let lists_dir = dir.join("lists");
    println!("cargo:rerun-if-changed={}", lists_dir.display());
    let mut lists = Vec::new();
    collect_lists(&lists_dir, &lists_dir, &mut lists);
    lists.sort();
    let mut text = String::from(
        "/// Built-in word lists: (name, contents); `a/b.txt` is named `a/b`.\npub static BUILTIN_LISTS: &[(&str, &str)] = &[\n",
    );
    for (name, path) in &lists {
        println!("cargo:rerun-if-changed={path}");
        text.push_str(&format!("    ({name:?}, include_str!({path:?})),\n"));
    }
    text.push_str("];\n");
    let out_dir = env::var("OUT_DIR").expect("OUT_DIR set by cargo");
    fs::write(Path::new(&out_dir).join("builtin_lists.rs"), text).expect("write generated file");
    let dest =
        Path::new(&env::var("OUT_DIR").expect("OUT_DIR set by cargo")).join("builtin_detectors.rs");
    fs::write(dest, out).expect("write generated file");
}

fn collect_lists(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect_lists(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "txt") {
            let rel = path.strip_prefix(root).expect("below the lists directory");
            let name = rel
                .with_extension("")
                .to_str()
                .expect("UTF-8 file name")
                .replace('\\', "/");
            out.push((name, path.display().to_string()));
        }
    }
}
