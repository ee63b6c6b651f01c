//! Builds the portal into `dist/` without Trunk: cargo (wasm32, size profile) → wasm-split
//! (one lazily loaded chunk per split route, see `src/app/lazy.rs`) → wasm-bindgen → wasm-opt
//! and esbuild (minified JS) → one content-addressed asset directory plus `index.html`.
//!
//! All of a build's scripts, wasm and CSS go to `dist/assets/<hash>/`, where `<hash>` covers
//! every file in it. The files refer to each other by relative names, which the split loader and
//! wasm-bindgen's glue import from one another in a cycle that per-file hashes could not name;
//! one directory per build keeps each URL immutable and each deployment whole.
use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use contract::auth::{CSRF_COOKIE, CSRF_HEADER, SECURE_CSRF_COOKIE};

use crate::process::run;
use crate::route_plan;
use crate::tools::{Tools, step};
use crate::{Result, root, target_dir};

/// The wasm-bindgen output name: `portal.js` and `portal_bg.wasm`.
const OUT_NAME: &str = "portal";
/// The loader wasm-split writes; the split-point imports of the main module name it.
const LOADER: &str = "__wasm_split.js";
/// `wasm-opt` flags: size first, the features every supported browser has, no debug data and
/// no linker metadata (the `target_features` section only informs linkers).
/// `--low-memory-unused`: Rust's wasm32 layout starts data above the stack, so the first
/// kilobyte is never addressed and offsets can fold into loads and stores.
const WASM_OPT_FLAGS: [&str; 15] = [
    "-Oz",
    "--low-memory-unused",
    "--flatten",
    "--rereloop",
    "-Oz",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
    "--strip-debug",
    "--strip-producers",
    "--strip-target-features",
    "--converge",
];
const HEAD_MARKER: &str = "<!-- portal:assets -->";
const BODY_MARKER: &str = "<!-- portal:start -->";
/// Where the server puts a signed-in visit's first paint (`crates/server/src/http/first_paint.rs`).
const SERVER_MARKERS: [&str; 1] = ["<!-- portal:first-paint -->"];

/// What a build produced, for the size report.
pub struct Built {
    /// `assets/<hash>/` relative to `dist/`.
    pub asset_dir: String,
    /// Lazily loaded split name → the wasm file names it needs (its own chunk and shared ones).
    pub splits: BTreeMap<String, Vec<String>>,
}

/// Builds the release bundle into `dist/`.
pub fn build(tools: &Tools) -> Result<Built> {
    let wasm = compile(tools)?;
    let stage = target_dir().join("portal-stage");
    reset_dir(&stage)?;
    step("Splitting the wasm at lazy routes (wasm-split)");
    let splits = split(&wasm, &stage)?;
    let loader = stage.join(LOADER);
    let text = std::fs::read_to_string(&loader).map_err(io("read", &loader))?;
    let patched = route_plan::loader_taking_chunks_from_packs(&text)?;
    std::fs::write(&loader, patched).map_err(io("write", &loader))?;
    step("Generating the JS bindings (wasm-bindgen)");
    bindgen(tools, &stage)?;
    let glue = stage.join(format!("{OUT_NAME}.js"));
    let text = std::fs::read_to_string(&glue).map_err(io("read", &glue))?;
    std::fs::write(&glue, starting_a_task_later(&text)?).map_err(io("write", &glue))?;
    std::fs::remove_file(stage.join("portal_split.wasm")).map_err(io("remove", &stage))?;
    step("Optimising every wasm file for size (wasm-opt -Oz) and minifying the JS (esbuild)");
    optimise_all(tools, files_with_extension(&stage, "wasm")?)?;
    route_plan::write_packs(&stage, &splits)?;
    copy(&root().join("style/main.css"), &stage.join("main.css"))?;
    for file in files_with_extension(&stage, "js")?
        .into_iter()
        .chain(files_with_extension(&stage, "css")?)
    {
        minify(tools, &file)?;
    }
    assemble(tools, &stage, splits)
}

/// `cargo build` of the portal binary for wasm32 with the size profile. `--emit-relocs` keeps
/// the relocations wasm-split needs to cut the module apart; the path remaps shorten the source
/// paths panic locations embed (and make the bundle independent of where crates live).
fn compile(tools: &Tools) -> Result<PathBuf> {
    step("Compiling the portal to wasm (profile wasm-release; first build ~5 min)");
    let mut flags = vec![
        // Mirrors `.cargo/config.toml`, which RUSTFLAGS replaces.
        "--cfg".to_owned(),
        "erase_components".to_owned(),
        "-Clink-args=--emit-relocs".to_owned(),
    ];
    for prefix in source_prefixes() {
        flags.push(format!("--remap-path-prefix={}=", prefix.display()));
    }
    // Panics abort without a message in the release build, so the file/line/column each
    // panic site embeds is dead weight (about 3 KiB brotli of the first load). The flag is
    // unstable; RUSTC_BOOTSTRAP lets the pinned stable toolchain accept it for this build only.
    flags.push("-Zlocation-detail=none".to_owned());
    // `std` rebuilt with the same profile and `panic=immediate-abort`: a panic is a trap at
    // once, so neither the panic hook nor the formatting it would call is in the bundle.
    flags.push("-Zunstable-options".to_owned());
    flags.push("-Cpanic=immediate-abort".to_owned());
    run(tools
        .cargo()
        .env("CARGO_ENCODED_RUSTFLAGS", flags.join("\x1f"))
        .env("RUSTC_BOOTSTRAP", "1")
        .args([
            "build",
            "-p",
            "portal",
            "--bin",
            OUT_NAME,
            "--features",
            "split",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
            "-Zbuild-std=std,panic_abort",
        ]))?;
    Ok(target_dir().join("wasm32-unknown-unknown/wasm-release/portal.wasm"))
}

/// Where sources are compiled from: each registry's unpacked crates and this workspace.
fn source_prefixes() -> Vec<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let registries = cargo_home
        .map(|home| home.join("registry/src"))
        .and_then(|dir| std::fs::read_dir(dir).ok())
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path());
    let mut prefixes: Vec<PathBuf> = registries.collect();
    prefixes.push(root());
    prefixes
}

fn split(wasm: &Path, stage: &Path) -> Result<BTreeMap<String, Vec<String>>> {
    let input = std::fs::read(wasm).map_err(io("read", wasm))?;
    let main_out = stage.join("portal_split.wasm");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = stage;
    options.main_out_path = &main_out;
    options.link_name = "./__wasm_split.js";
    options.main_module = "./portal.js";
    let split = wasm_split_cli_support::transform(options)
        .map_err(|e| format!("wasm-split failed: {e:?}"))?;
    Ok(split
        .prefetch_map
        .into_iter()
        .map(|(name, stems)| {
            let files = stems.into_iter().map(|s| format!("{s}.wasm")).collect();
            (name, files)
        })
        .collect())
}

fn bindgen(tools: &Tools, stage: &Path) -> Result<()> {
    let input = stage.join("portal_split.wasm");
    run(tools
        .command("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--keep-lld-exports",
            "--no-demangle",
            "--out-name",
            OUT_NAME,
            "--out-dir",
        ])
        .arg(stage)
        .arg(input))
}

/// The glue with the app's start (`main`) moved to a task after the main module is instantiated:
/// on a slow phone the two were one long task (a trace: most of it V8 compiling, on first call,
/// the functions the start runs), during which the page answers no tap. Done here rather than
/// in Rust, where a yield would add to the first load. wasm-bindgen's `init` then resolves
/// before the app starts; a failure of the start still reaches the start-up guard of
/// `index.html` (as an uncaught error).
fn starting_a_task_later(glue: &str) -> Result<String> {
    const START: &str = "wasm.__wbindgen_start();";
    if glue.matches(START).count() != 1 {
        return Err(format!(
            "wasm-bindgen's glue no longer calls `{START}` once; update `starting_a_task_later`"
        ));
    }
    Ok(glue.replace(START, "setTimeout(wasm.__wbindgen_start);"))
}

/// Runs wasm-opt on every file, one process per core, largest file first: the main module
/// alone takes minutes (`--flatten --rereloop`), the ~150 small chunks a second each.
fn optimise_all(tools: &Tools, mut files: Vec<PathBuf>) -> Result<()> {
    files.sort_by_key(|file| std::cmp::Reverse(std::fs::metadata(file).map_or(0, |m| m.len())));
    let queue = std::sync::Mutex::new(files.into_iter());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = || queue.lock().ok().and_then(|mut files| files.next());
    std::thread::scope(|scope| {
        let running: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    while let Some(file) = next() {
                        optimise(tools, &file)?;
                    }
                    Ok(())
                })
            })
            .collect();
        running.into_iter().try_for_each(|worker| {
            worker
                .join()
                .map_err(|_| "wasm-opt worker panicked".to_owned())?
        })
    })
}

fn optimise(tools: &Tools, file: &Path) -> Result<()> {
    let mut command = tools.command(tools.node_bin("wasm-opt"));
    if keep_function_names() {
        // `-g` keeps the name section; everything else as in the release bundle.
        command
            .arg("-g")
            .args(WASM_OPT_FLAGS.iter().filter(|f| **f != "--strip-debug"));
    } else {
        command.args(WASM_OPT_FLAGS);
    }
    run(command.arg(file).arg("-o").arg(file))
}

/// `PORTAL_WASM_NAMES=1 cargo xtask build`: the same bundle with function names, so a
/// performance trace of it names the wasm functions of each long task (larger: not for use).
fn keep_function_names() -> bool {
    std::env::var_os("PORTAL_WASM_NAMES").is_some_and(|v| v == "1")
}

/// Minifies an ES module or a stylesheet in place; modules keep their export names, which the
/// split loader and the start script import.
fn minify(tools: &Tools, file: &Path) -> Result<()> {
    let is_js = file.extension().is_some_and(|e| e == "js");
    run(tools
        .command(tools.node_bin("esbuild"))
        .arg(file)
        .args(["--minify", "--log-level=warning", "--allow-overwrite"])
        .args(is_js.then_some("--format=esm"))
        // wasm-bindgen lists the split loader once per import; the keys name one module.
        .arg("--log-override:duplicate-object-key=silent")
        .arg(format!("--outfile={}", file.display())))
}

/// Moves the staged files into `dist/assets/<hash>/`, copies `public/` and writes `index.html`.
fn assemble(tools: &Tools, stage: &Path, splits: BTreeMap<String, Vec<String>>) -> Result<Built> {
    let dist = root().join("dist");
    reset_dir(&dist)?;
    copy_tree(&root().join("public"), &dist)?;
    let asset_dir = format!("assets/{}", tree_hash(stage)?);
    copy_tree(stage, &dist.join(&asset_dir))?;
    let template = std::fs::read_to_string(root().join("index.html"))
        .map_err(|e| format!("cannot read index.html: {e}"))?;
    // The chunks, once each, for the service worker to keep for offline use.
    let chunks: std::collections::BTreeSet<&String> = splits.values().flatten().collect();
    let listed = serde_json::to_string(&chunks).map_err(|e| format!("chunk list: {e}"))?;
    std::fs::write(dist.join(&asset_dir).join("chunks.json"), listed)
        .map_err(io("write", &dist))?;
    let plan = route_plan::script(
        &format!("/{asset_dir}/"),
        &format!("{OUT_NAME}_bg.wasm"),
        &[SECURE_CSRF_COOKIE, CSRF_COOKIE],
        CSRF_HEADER,
    );
    let html = minify_inline_scripts(tools, &render_index(&template, &asset_dir, &plan)?)?;
    std::fs::write(dist.join("index.html"), html).map_err(io("write", &dist))?;
    Ok(Built { asset_dir, splits })
}

/// Fills the template's two markers: the stylesheet, preloads and the route plan (see
/// `route_plan`) in `<head>`, the module that starts the app at the end of `<body>`.
///
/// The small JS modules are preloaded; the main wasm deliberately is not. On a slow link a
/// preloaded wasm shares the bandwidth with the render-blocking stylesheet and delays the
/// first paint of the static brand and sign-in text (Lighthouse mobile: LCP 1.9 s with the
/// preload, 1.0 s without); the JS asks for the wasm one round trip later instead.
pub fn render_index(template: &str, asset_dir: &str, route_plan: &str) -> Result<String> {
    if !template.contains(HEAD_MARKER) || !template.contains(BODY_MARKER) {
        return Err(format!(
            "index.html must contain {HEAD_MARKER} and {BODY_MARKER}"
        ));
    }
    let base = format!("/{asset_dir}");
    let head = format!(
        "<link rel=\"stylesheet\" href=\"{base}/main.css\">\n  \
         <link rel=\"modulepreload\" href=\"{base}/{OUT_NAME}.js\">\n  \
         <link rel=\"modulepreload\" href=\"{base}/{LOADER}\">\n  {route_plan}"
    );
    // `__portalBoot` (index.html's start-up guard) downloads the wasm, retries a failed
    // download and tells a network failure from a browser that cannot run the portal.
    let start = format!(
        "<script type=\"module\">import init from \"{base}/{OUT_NAME}.js\";\
         __portalBoot(init,\"{base}/{OUT_NAME}_bg.wasm\");</script>"
    );
    let html = template
        .replacen(HEAD_MARKER, &head, 1)
        .replacen(BODY_MARKER, &start, 1);
    Ok(strip_html_comments(&html))
}

/// Minifies the page's classic inline scripts (`<script>` without attributes) with esbuild;
/// the server hashes whatever they end up as for its Content-Security-Policy.
fn minify_inline_scripts(tools: &Tools, html: &str) -> Result<String> {
    const OPEN: &str = "<script>";
    const CLOSE: &str = "</script>";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        let body_start = start + OPEN.len();
        let Some(length) = rest[body_start..].find(CLOSE) else {
            break;
        };
        out.push_str(&rest[..body_start]);
        out.push_str(&esbuild_stdin(
            tools,
            &rest[body_start..body_start + length],
        )?);
        rest = &rest[body_start + length..];
    }
    out.push_str(rest);
    Ok(out)
}

fn esbuild_stdin(tools: &Tools, script: &str) -> Result<String> {
    use std::io::Write as _;
    let mut child = tools
        .command(tools.node_bin("esbuild"))
        .args([
            "--minify",
            "--loader=js",
            "--target=es5",
            "--log-level=warning",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run esbuild: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(script.as_bytes())
            .map_err(|e| format!("could not feed esbuild: {e}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("esbuild failed: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "esbuild could not minify an inline script ({})",
            output.status
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .trim_end()
        .to_owned())
}

/// Drops `<!-- … -->` comments: they explain the template to developers, not to browsers.
/// Markers for the server are kept (`<!-- portal:first-paint -->`, see `SERVER_MARKERS`).
fn strip_html_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) if SERVER_MARKERS.contains(&&rest[start..start + end + 3]) => {
                out.push_str(&rest[start..start + end + 3]);
                rest = &rest[start + end + 3..];
            }
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A 64-bit digest of every file's name and bytes, as 16 hex digits.
fn tree_hash(dir: &Path) -> Result<String> {
    let mut hasher = std::hash::DefaultHasher::new();
    let mut files = walk(dir)?;
    files.sort();
    for file in files {
        let relative = file.strip_prefix(dir).unwrap_or(&file);
        hasher.write(relative.to_string_lossy().as_bytes());
        hasher.write(&std::fs::read(&file).map_err(io("read", &file))?);
    }
    Ok(format!("{:016x}", hasher.finish()))
}

fn files_with_extension(dir: &Path, extension: &str) -> Result<Vec<PathBuf>> {
    Ok(walk(dir)?
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == extension))
        .collect())
}

/// Every file under `dir`, recursively.
pub fn walk(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).map_err(io("read", &current))? {
            let path = entry.map_err(io("read", &current))?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    Ok(found)
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    for file in walk(from)? {
        let relative = file.strip_prefix(from).unwrap_or(&file);
        copy(&file, &to.join(relative))?;
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(io("create", parent))?;
    }
    std::fs::copy(from, to).map_err(io("copy", from))?;
    Ok(())
}

fn reset_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(io("clear", dir))?;
    }
    std::fs::create_dir_all(dir).map_err(io("create", dir))
}

fn io<'a>(what: &'a str, path: &'a Path) -> impl Fn(std::io::Error) -> String + 'a {
    move |e| format!("cannot {what} {}: {e}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_gets_styles_preloads_and_the_start_module() {
        let template = "<head><!-- portal:assets --></head><body><!-- portal:start --></body>";
        let html = render_index(template, "assets/0123456789abcdef", "<script>plan</script>")
            .expect("markers present");
        assert!(html.contains(r#"href="/assets/0123456789abcdef/main.css""#));
        assert!(html.contains(r#"rel="modulepreload" href="/assets/0123456789abcdef/portal.js""#));
        assert!(
            !html.contains("_bg.wasm\" as="),
            "the wasm is not preloaded"
        );
        assert!(html.contains(r#"__portalBoot(init,"/assets/0123456789abcdef/portal_bg.wasm")"#));
        assert!(!html.contains("portal:"));
        assert!(!html.contains("<!--"));
    }

    #[test]
    fn comments_are_stripped_and_the_rest_kept() {
        assert_eq!(strip_html_comments("a<!-- x -->b<!--y-->c"), "abc");
        assert_eq!(strip_html_comments("a<!-- open"), "a<!-- open");
        assert_eq!(
            strip_html_comments("a<!-- portal:first-paint --><!-- x -->b"),
            "a<!-- portal:first-paint -->b"
        );
    }

    #[test]
    fn the_app_starts_a_task_after_its_module_is_instantiated() {
        let glue = "function finalize(instance) { wasm = instance.exports; wasm.__wbindgen_start(); return wasm; }";
        assert_eq!(
            starting_a_task_later(glue).unwrap(),
            "function finalize(instance) { wasm = instance.exports; setTimeout(wasm.__wbindgen_start); return wasm; }"
        );
        assert!(starting_a_task_later("wasm.__wbindgen_start(stack_size);").is_err());
    }

    #[test]
    fn a_template_without_markers_is_refused() {
        assert!(render_index("<head></head>", "assets/x", "").is_err());
    }
}
