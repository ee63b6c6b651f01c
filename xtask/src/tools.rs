//! The bootstrap: finds each tool the build and tests need and installs only what is missing
//! or at the wrong version. Versions are pinned here and in Cargo.lock.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::process::{output_line, run};
use crate::{Result, root};

const BINARYEN_MAJOR: &str = "132";
const ESBUILD_VERSION: &str = "0.25";
const AXE_MAJOR: &str = "4";
const LIGHTHOUSE_MAJOR: &str = "13";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// A Chinese font for the test browser (Debian's `fonts-noto-cjk`): without one every Chinese
/// character renders as an empty box, and layout, clipping and contrast checks measure boxes.
pub const CJK_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// Which groups of tools a command needs.
#[derive(Clone, Copy)]
pub struct Needs {
    browser: bool,
    lighthouse: bool,
}

impl Needs {
    pub const BUILD: Needs = Needs {
        browser: false,
        lighthouse: false,
    };
    pub const TEST: Needs = Needs {
        browser: true,
        lighthouse: false,
    };
    pub const BENCH: Needs = Needs {
        browser: true,
        lighthouse: true,
    };
}

/// Installed tools, and the PATH under which child processes find them.
pub struct Tools {
    path: String,
    tools_dir: PathBuf,
}

/// Prints a progress heading, so a long bootstrap never looks stuck.
pub fn step(what: &str) {
    println!("==> {what}");
}

impl Tools {
    /// Installs whatever `needs` lists and is missing, then describes the environment.
    pub fn bootstrap(needs: Needs) -> Result<Tools> {
        let started = Instant::now();
        let tools = Tools::locate();
        tools.ensure_wasm_target()?;
        tools.ensure_std_source()?;
        tools.ensure_wasm_bindgen()?;
        tools.ensure_npm_package(
            "wasm-opt",
            "binaryen",
            BINARYEN_MAJOR,
            "version 132",
            "seconds",
        )?;
        tools.ensure_npm_package(
            "esbuild",
            "esbuild",
            ESBUILD_VERSION,
            &format!("{ESBUILD_VERSION}."),
            "seconds",
        )?;
        if needs.browser {
            ensure_chromium()?;
            ensure_cjk_font()?;
            tools.ensure_axe()?;
            ensure_s3_server();
        }
        if needs.lighthouse {
            tools.ensure_npm_package(
                "lighthouse",
                "lighthouse",
                LIGHTHOUSE_MAJOR,
                LIGHTHOUSE_MAJOR,
                "~1 min",
            )?;
        }
        println!("==> Tools ready ({:.0?})", started.elapsed());
        Ok(tools)
    }

    fn locate() -> Tools {
        let tools_dir = root().join("tools");
        let cargo_bin = std::env::var("CARGO_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|_| home().join(".cargo"))
            .join("bin");
        let node_bin = tools_dir.join("node_modules/.bin");
        let inherited = std::env::var("PATH").unwrap_or_default();
        let path = format!("{}:{}:{inherited}", node_bin.display(), cargo_bin.display());
        Tools { path, tools_dir }
    }

    /// A command that sees the project's tools on its PATH, run from the workspace root.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command.env("PATH", &self.path).current_dir(root());
        command
    }

    pub fn cargo(&self) -> Command {
        self.command(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
    }

    /// Where the project's npm packages are installed (`tools/`).
    pub fn tools_dir(&self) -> &Path {
        &self.tools_dir
    }

    /// The project-local npm binary directory.
    pub fn node_bin(&self, name: &str) -> PathBuf {
        self.tools_dir.join("node_modules/.bin").join(name)
    }

    fn version_of(&self, program: &str) -> Option<String> {
        output_line(self.command(program).arg("--version"))
    }

    fn ensure_wasm_target(&self) -> Result<()> {
        self.ensure_rustup_part(
            "target",
            "wasm32-unknown-unknown",
            "the wasm32-unknown-unknown Rust target",
        )
    }

    /// The standard library's source: the release bundle builds `std` itself (`-Zbuild-std`),
    /// so that panics abort at once instead of carrying the panic-formatting machinery.
    fn ensure_std_source(&self) -> Result<()> {
        self.ensure_rustup_part(
            "component",
            "rust-src",
            "the rust-src component (the standard library's source)",
        )
    }

    /// `rustup <kind> add <name>` unless `rustup <kind> list --installed` names it already.
    fn ensure_rustup_part(&self, kind: &str, name: &str, what: &str) -> Result<()> {
        let installed = self
            .command("rustup")
            .args([kind, "list", "--installed"])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(name));
        if installed {
            return Ok(());
        }
        step(&format!("Installing {what} (seconds)"));
        run(self.command("rustup").args([kind, "add", name]))
    }

    fn ensure_wasm_bindgen(&self) -> Result<()> {
        let wanted = wasm_bindgen_version()?;
        if self
            .version_of("wasm-bindgen")
            .is_some_and(|v| v == format!("wasm-bindgen {wanted}"))
        {
            return Ok(());
        }
        step(&format!(
            "Installing wasm-bindgen-cli {wanted} (the Cargo.lock version; ~8 min)"
        ));
        // `--locked` fails for this crate (a locked dependency was yanked), so resolve afresh.
        run(self.cargo().args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wanted,
            "--force",
        ]))
    }

    /// The axe-core accessibility engine the end-to-end tests inject into pages.
    pub fn axe_script(&self) -> PathBuf {
        self.tools_dir.join("node_modules/axe-core/axe.min.js")
    }

    fn ensure_axe(&self) -> Result<()> {
        let manifest = self.tools_dir.join("node_modules/axe-core/package.json");
        let installed = std::fs::read_to_string(manifest)
            .is_ok_and(|m| m.contains(&format!("\"version\": \"{AXE_MAJOR}.")));
        if installed && self.axe_script().exists() {
            return Ok(());
        }
        self.npm_install("axe-core", AXE_MAJOR, "seconds")
    }

    /// Installs an npm package into `tools/` unless `bin --version` already mentions `expect`.
    fn ensure_npm_package(
        &self,
        bin: &str,
        package: &str,
        major: &str,
        expect: &str,
        takes: &str,
    ) -> Result<()> {
        let binary = self.node_bin(bin);
        let current = binary
            .exists()
            .then(|| output_line(self.command(&binary).arg("--version")))
            .flatten();
        if current.is_some_and(|v| v.contains(expect)) {
            return Ok(());
        }
        self.npm_install(package, major, takes)
    }

    /// `npm install package@major` into `tools/`, saying so and roughly how long it takes.
    fn npm_install(&self, package: &str, major: &str, takes: &str) -> Result<()> {
        step(&format!(
            "Installing {package}@{major} from npm into tools/ ({takes})"
        ));
        std::fs::create_dir_all(&self.tools_dir)
            .map_err(|e| format!("cannot create tools/: {e}"))?;
        let prefix = self.tools_dir.to_string_lossy().into_owned();
        run(self.command("npm").args([
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            &prefix,
            &format!("{package}@{major}"),
        ]))
    }
}

fn home() -> PathBuf {
    std::env::var("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("/root"))
}

/// The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            let version = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \"")?.strip_suffix('"'));
            if let Some(version) = version {
                return Ok(version.to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// Whether packages can be installed here: root on a Debian/Ubuntu system.
pub(crate) fn can_apt_get() -> bool {
    let is_root = output_line(Command::new("id").arg("-u")).is_some_and(|uid| uid == "0");
    is_root && Path::new("/usr/bin/apt-get").exists()
}

/// `apt-get update` then `apt-get install -y --no-install-recommends <packages>`.
pub(crate) fn apt_get_install(packages: &[&str]) -> Result<()> {
    run(Command::new("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// moto's S3-compatible server, which the object-storage tests start (they report themselves
/// skipped without it, so a failed install is a warning, not an error).
fn ensure_s3_server() {
    let runs = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if runs("moto_server", &["--help"]) {
        return;
    }
    step("Installing moto's S3 server with pip (~30 s)");
    if !runs(
        "python3",
        &["-m", "pip", "install", "--quiet", "moto[server]"],
    ) {
        println!(
            "warning: could not install moto (`python3 -m pip install 'moto[server]'`); the \
             object-storage tests will report themselves skipped"
        );
    }
}

/// The CJK font the e2e and Lighthouse runs need to lay out Chinese text as members see it.
fn ensure_cjk_font() -> Result<()> {
    if Path::new(CJK_FONT).exists() {
        return Ok(());
    }
    if !can_apt_get() {
        return Err(format!(
            "A Chinese font is needed at {CJK_FONT} so the test browser renders Chinese text; \
             install it (Debian/Ubuntu: `sudo apt-get install fonts-noto-cjk`) and run again"
        ));
    }
    step("Installing the Noto CJK fonts with apt-get (~1 min)");
    apt_get_install(&["fonts-noto-cjk"])
}

fn ensure_chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    if !can_apt_get() {
        return Err(format!(
            "Chromium and ChromeDriver are needed at {CHROMIUM} and {CHROMEDRIVER}; install them \
             (Debian/Ubuntu: `sudo apt-get install chromium chromium-driver`) and run again"
        ));
    }
    step("Installing Chromium and ChromeDriver with apt-get (~1 min)");
    apt_get_install(&["chromium", "chromium-driver"])
}
