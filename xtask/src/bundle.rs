//! The release bundle: the portal build (`pipeline`), precompressed siblings for the server,
//! and the first-load size measured against the budget in `perf-budget.toml`.
use std::io::Write;
use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use crate::tools::Tools;
use crate::{Result, root};
use crate::{pipeline, route_plan};

/// Extensions the server may send compressed; each gets `.br` and `.gz` siblings.
const COMPRESSIBLE: [&str; 9] = [
    "html",
    "js",
    "wasm",
    "pack",
    "css",
    "svg",
    "json",
    "webmanifest",
    "txt",
];
/// What a first visit downloads before the portal is usable.
const FIRST_LOAD: [&str; 4] = ["html", "js", "wasm", "css"];

/// One dist file's sizes in bytes.
pub struct FileSizes {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// The bundle's sizes and the budget they are held to.
pub struct Report {
    pub files: Vec<FileSizes>,
    pub budget_kib: f64,
    /// Lazy route (split) → its chunk files, as paths under `dist/`.
    pub lazy: BTreeMap<String, Vec<String>>,
    /// Each screen of the route plan → its pack and how many chunks the pack holds.
    pub screens: Vec<(String, String, usize)>,
}

impl Report {
    /// Brotli bytes of a first visit: the main module with its html, css and JS. A device
    /// that never signed in has no session, so whatever link it opens shows the sign-in page,
    /// which is in the main module; the screens behind sign-in are chunks fetched afterwards
    /// (reported per route, not counted here).
    pub fn first_load_brotli(&self) -> u64 {
        self.files
            .iter()
            .filter(|f| !self.is_lazy(&f.name) && is_first_load(&f.name))
            .map(|f| f.brotli)
            .sum()
    }

    fn brotli_of(&self, names: &[String]) -> u64 {
        self.files
            .iter()
            .filter(|f| names.contains(&f.name))
            .map(|f| f.brotli)
            .sum()
    }

    fn is_lazy(&self, name: &str) -> bool {
        self.lazy.values().flatten().any(|chunk| chunk == name)
    }

    pub fn first_load_kib(&self) -> f64 {
        self.first_load_brotli() as f64 / 1024.0
    }

    pub fn within_budget(&self) -> bool {
        self.first_load_kib() <= self.budget_kib
    }

    /// The size table and the budget verdict.
    pub fn print(&self) {
        println!(
            "{:<44} {:>10} {:>10} {:>10}",
            "dist file", "raw", "gzip", "brotli"
        );
        for f in &self.files {
            println!(
                "{:<44} {:>10} {:>10} {:>10}",
                f.name, f.raw, f.gzip, f.brotli
            );
        }
        for (route, chunks) in &self.lazy {
            println!(
                "opening {route} later adds {:.1} KiB brotli (its chunks, fetched on first visit)",
                self.brotli_of(chunks) as f64 / 1024.0
            );
        }
        for (screen, pack, chunks) in &self.screens {
            println!(
                "opening {screen} from its address adds one request: its pack, {chunks} chunks, {:.1} KiB brotli",
                self.brotli_of(std::slice::from_ref(pack)) as f64 / 1024.0
            );
        }
        let verdict = if self.within_budget() {
            "within"
        } else {
            "OVER"
        };
        println!(
            "first-load transfer (sign-in page: html+css+js+main wasm, brotli): {:.1} KiB — {verdict} the {:.0} KiB budget",
            self.first_load_kib(),
            self.budget_kib
        );
    }
}

fn is_first_load(name: &str) -> bool {
    FIRST_LOAD
        .iter()
        .any(|ext| name.ends_with(&format!(".{ext}")))
        && !name.ends_with("sw.js")
        // The server's first-paint templates are filled into a signed-in page, never fetched.
        && !name.starts_with("first-paint/")
}

/// Builds `dist/` in release mode, writes compressed siblings and measures it.
pub fn build(tools: &Tools) -> Result<Report> {
    let built = pipeline::build(tools)?;
    let dist = root().join("dist");
    let mut files = Vec::new();
    for path in pipeline::walk(&dist)? {
        if is_compressible(&path) {
            files.push(compress_beside(&dist, &path)?);
        }
    }
    files.sort_by_key(|f| std::cmp::Reverse(f.brotli));
    let screens = route_plan::SCREENS
        .iter()
        .map(|screen| {
            let chunks = route_plan::files_of(screen, &built.splits)?.len();
            let pack = format!("{}/{}", built.asset_dir, route_plan::pack_name(screen));
            Ok((screen.pattern.to_string(), pack, chunks))
        })
        .collect::<Result<Vec<_>>>()?;
    let lazy = built
        .splits
        .into_iter()
        .map(|(route, chunks)| {
            let paths = chunks
                .into_iter()
                .map(|c| format!("{}/{c}", built.asset_dir))
                .collect();
            (route, paths)
        })
        .collect();
    Ok(Report {
        files,
        budget_kib: budget_kib()?,
        lazy,
        screens,
    })
}

fn is_compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|ext| COMPRESSIBLE.contains(&ext))
}

fn compress_beside(dist: &Path, path: &Path) -> Result<FileSizes> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let br = brotli_bytes(&bytes);
    let gz = gzip_bytes(&bytes)?;
    write(&with_suffix(path, "br"), &br)?;
    write(&with_suffix(path, "gz"), &gz)?;
    let name = path
        .strip_prefix(dist)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned();
    Ok(FileSizes {
        name,
        raw: bytes.len() as u64,
        gzip: gz.len() as u64,
        brotli: br.len() as u64,
    })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Brotli at maximum quality, as a static file is compressed once and served many times.
pub fn brotli_bytes(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut reader = input;
    // Writing into a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut reader, &mut out, &params);
    out
}

fn gzip_bytes(input: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(input)
        .and_then(|_| encoder.finish())
        .map_err(|e| format!("gzip failed: {e}"))
}

/// Reads `first_load_brotli_kib` from `perf-budget.toml`.
pub fn budget_kib() -> Result<f64> {
    let text = std::fs::read_to_string(root().join("perf-budget.toml"))
        .map_err(|e| format!("cannot read perf-budget.toml: {e}"))?;
    parse_budget(&text)
        .ok_or_else(|| "perf-budget.toml needs `first_load_brotli_kib = <number>`".into())
}

fn parse_budget(text: &str) -> Option<f64> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            line.split_once('=')
                .filter(|(k, _)| k.trim() == "first_load_brotli_kib")
        })
        .and_then(|(_, value)| value.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(name: &str, brotli: u64) -> FileSizes {
        FileSizes {
            name: name.into(),
            raw: brotli * 3,
            gzip: brotli * 2,
            brotli,
        }
    }

    #[test]
    fn the_first_load_counts_the_main_module_but_not_route_chunks_or_extras() {
        let report = Report {
            files: vec![
                sizes("index.html", 1),
                sizes("assets/0123456789abcdef/portal_bg.wasm", 100),
                sizes("assets/0123456789abcdef/portal.js", 10),
                sizes("assets/0123456789abcdef/main.css", 5),
                sizes("assets/0123456789abcdef/split_card_page.wasm", 40),
                sizes("sw.js", 2),
                sizes("manifest.webmanifest", 1),
            ],
            budget_kib: 150.0,
            lazy: BTreeMap::from([(
                "card_page".to_owned(),
                vec!["assets/0123456789abcdef/split_card_page.wasm".to_owned()],
            )]),
            screens: Vec::new(),
        };
        assert_eq!(report.first_load_brotli(), 116);
        assert_eq!(
            report.brotli_of(&["assets/0123456789abcdef/split_card_page.wasm".into()]),
            40
        );
    }

    #[test]
    fn the_budget_line_is_read_and_comments_are_skipped() {
        let text = "# first_load_brotli_kib = 1\nfirst_load_brotli_kib = 150\n";
        assert_eq!(parse_budget(text), Some(150.0));
        assert_eq!(parse_budget("nothing here"), None);
    }

    #[test]
    fn brotli_output_round_trips() {
        let input = "工会会员服务卡 ".repeat(200);
        let compressed = brotli_bytes(input.as_bytes());
        assert!(compressed.len() < input.len() / 10);
        let mut restored = Vec::new();
        brotli::BrotliDecompress(&mut compressed.as_slice(), &mut restored).expect("valid brotli");
        assert_eq!(restored, input.as_bytes());
    }
}
