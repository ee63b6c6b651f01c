//! The route plan: which wasm files a visit to each address needs, written into `index.html`
//! as a small inline script that asks for all of them at once, beside the main module.
//!
//! Without it a visit is a chain: the JS, then the main wasm, then the router's chunk, then the
//! screen's chunks, each step waiting for the one before. The script knows the address before
//! any of that runs, so it asks at once for the main wasm (`<link rel=preload>`) and for the
//! screen's *pack*: one file holding every chunk the screen needs. wasm-split cuts a screen
//! into a hundred or more small chunks (one per set of screens sharing code), which over one
//! HTTP/1.1 connection pool would queue for seconds; the pack makes it one request, and brotli
//! compresses the chunks better together than apart. The split loader takes its chunks from
//! the pack (`CHUNK_FROM_PACK_JS`, put in front of `__wasm_split.js`) and fetches any other
//! chunk, or every chunk if the pack fails, one by one as before. Packs are static files, so a
//! portal on a CDN or any web server gets them too.
//!
//! For a member screen it also asks the API, at once, for the session and the screen's first
//! data (`Screen::data`); the app's client takes those answers instead of asking again
//! (`src/browser/prefetch.rs`), so the data is there when the screen's code is.
//!
//! Member screens are planned only for a browser that holds the CSRF cookie that comes with
//! every session: without a session the main module draws sign-in and needs nothing more.
//! With the API on another origin that cookie cannot be seen, so nothing is preloaded and the
//! portal loads step by step, as it always could.
use std::collections::{BTreeMap, BTreeSet};

use crate::Result;

/// How an address pattern matches a path.
#[derive(Clone, Copy)]
pub enum Pattern {
    /// Exactly this path.
    Exact(&'static str),
    /// One segment below this path (`/offers/:id`).
    OneBelow(&'static str),
    /// This path and anything below it (`/aid/*rest`).
    Tree(&'static str),
}

impl Pattern {
    /// The pattern as a JavaScript regular expression source.
    fn regex(self) -> String {
        match self {
            Pattern::Exact(path) => format!("^{path}$"),
            Pattern::OneBelow(path) => format!("^{path}/[^/]+$"),
            Pattern::Tree(path) => format!("^{path}(/.*)?$"),
        }
    }
}

impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pattern::Exact(path) => write!(f, "{path}"),
            Pattern::OneBelow(path) => write!(f, "{path}/:id"),
            Pattern::Tree(path) => write!(f, "{path}/*"),
        }
    }
}

/// A screen of the route table in `src/app/routed.rs` and the splits (`src/app/lazy.rs`) it
/// needs; `member` screens are behind sign-in.
pub struct Screen {
    pub pattern: Pattern,
    pub member: bool,
    pub splits: &'static [&'static str],
    /// The API requests the screen makes as it opens (method, path under `apiBase`), exactly as
    /// `src/api/` spells them: an answer is only taken for the same method and URL.
    pub data: &'static [(&'static str, &'static str)],
}

const fn member(pattern: Pattern, page: &'static [&'static str]) -> Screen {
    Screen {
        pattern,
        member: true,
        splits: page,
        data: &[],
    }
}

const fn public(pattern: Pattern, page: &'static [&'static str]) -> Screen {
    Screen {
        pattern,
        member: false,
        splits: page,
        data: &[],
    }
}

impl Screen {
    const fn with_data(self, data: &'static [(&'static str, &'static str)]) -> Screen {
        Screen { data, ..self }
    }
}

/// What every member screen asks first (see `state::provide_app_state`).
const SESSION_CHECK: (&str, &str) = ("GET", "/v1/auth/session");

/// Every routed screen, the first match wins. Member screens need the router, the tab bar and
/// their page.
pub const SCREENS: [Screen; 16] = [
    member(Pattern::Exact("/"), &["routed_app", "tab_bar", "home_page"]).with_data(&[
        ("GET", "/v1/card"),
        ("GET", "/v1/me"),
        ("GET", "/v1/notifications"),
    ]),
    member(
        Pattern::Exact("/card"),
        &["routed_app", "tab_bar", "card_page"],
    )
    .with_data(&[("GET", "/v1/card"), ("POST", "/v1/card/ecard-token")]),
    member(Pattern::Exact("/me"), &["routed_app", "tab_bar", "me_page"])
        .with_data(&[("GET", "/v1/me")]),
    member(
        Pattern::Exact("/offers"),
        &["routed_app", "tab_bar", "offers_page"],
    )
    .with_data(&[
        ("GET", "/v1/offers?limit=20"),
        ("GET", "/v1/offers/districts"),
    ]),
    member(
        Pattern::OneBelow("/offers"),
        &["routed_app", "tab_bar", "offer_detail_page"],
    ),
    member(
        Pattern::Exact("/coupons"),
        &["routed_app", "tab_bar", "coupons_page"],
    ),
    member(
        Pattern::Exact("/insurance"),
        &["routed_app", "tab_bar", "insurance_page"],
    )
    .with_data(&[("GET", "/v1/insurance/entitlements")]),
    member(
        Pattern::OneBelow("/insurance"),
        &["routed_app", "tab_bar", "insurance_detail_page"],
    ),
    member(
        Pattern::Exact("/aid"),
        &["routed_app", "tab_bar", "aid_area", "aid_programs_page"],
    )
    .with_data(&[("GET", "/v1/aid/programs"), ("GET", "/v1/aid/applications")]),
    member(
        Pattern::OneBelow("/aid/apply"),
        &["routed_app", "tab_bar", "aid_area", "aid_apply_page"],
    ),
    member(
        Pattern::OneBelow("/aid/applications"),
        &["routed_app", "tab_bar", "aid_area", "aid_application_page"],
    ),
    // Any other address under aid is its "not found".
    member(
        Pattern::Tree("/aid"),
        &["routed_app", "tab_bar", "aid_area"],
    ),
    public(Pattern::Exact("/privacy"), &["routed_app", "privacy_page"]),
    public(Pattern::Exact("/centres"), &["routed_app", "centres_page"]),
    public(Pattern::Exact("/kiosk"), &["routed_app", "kiosk_page"]),
    public(
        Pattern::Exact("/login/wechat"),
        &["routed_app", "wechat_return_page"],
    ),
];

/// The wasm files a visit to `screen` downloads after the first load, once each, in a stable
/// order. An unknown split name is an error: the plan must follow the code.
pub fn files_of(screen: &Screen, splits: &BTreeMap<String, Vec<String>>) -> Result<Vec<String>> {
    let mut files = BTreeSet::new();
    for split in screen.splits {
        let chunks = splits.get(*split).ok_or_else(|| {
            format!("route plan: no split called `{split}` (see xtask/src/route_plan.rs)")
        })?;
        files.extend(chunks.iter().cloned());
    }
    Ok(files.into_iter().collect())
}

/// A screen's pack file name (`pack_card.pack` for `/card`).
pub fn pack_name(screen: &Screen) -> String {
    let slug: String = screen
        .pattern
        .to_string()
        .replace(":id", "id")
        .replace('*', "all")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let slug = slug.trim_matches('_');
    format!("pack_{}.pack", if slug.is_empty() { "home" } else { slug })
}

/// A pack: one line of JSON naming each file and its length (`[["chunk_1.wasm",1234],…]`),
/// a newline, then the files' bytes one after another.
pub fn pack(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let index: Vec<serde_json::Value> = files
        .iter()
        .map(|(name, bytes)| serde_json::json!([name, bytes.len()]))
        .collect();
    let mut packed = serde_json::Value::from(index).to_string().into_bytes();
    packed.push(b'\n');
    for (_, bytes) in files {
        packed.extend_from_slice(bytes);
    }
    packed
}

/// Writes each screen's pack into `dir`, where its wasm files are.
pub fn write_packs(dir: &std::path::Path, splits: &BTreeMap<String, Vec<String>>) -> Result<()> {
    for screen in &SCREENS {
        let files = files_of(screen, splits)?
            .into_iter()
            .map(|name| {
                let bytes = std::fs::read(dir.join(&name))
                    .map_err(|e| format!("route plan: cannot read {name}: {e}"))?;
                Ok((name, bytes))
            })
            .collect::<Result<Vec<_>>>()?;
        let path = dir.join(pack_name(screen));
        std::fs::write(&path, pack(&files))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The inline script that, for the address being opened, preloads the main wasm and fetches
/// the screen's pack and, for a member screen, starts its API requests. The main wasm is
/// preloaded only on member screens: there nothing is painted from the HTML that it would
/// slow down (on sign-in it would, see `pipeline::render_index`). POSTs carry the CSRF
/// cookie's value as the header, as the app's client would (double submit).
pub fn script(base: &str, main_wasm: &str, csrf_cookies: &[&str], csrf_header: &str) -> String {
    let routes: Vec<serde_json::Value> = SCREENS
        .iter()
        .map(|screen| {
            let mut data = Vec::new();
            if screen.member {
                data.push(SESSION_CHECK);
            }
            data.extend(screen.data);
            serde_json::json!([
                screen.pattern.regex(),
                screen.member,
                pack_name(screen),
                data
            ])
        })
        .collect();
    let plan = serde_json::json!({
        "base": base,
        "wasm": main_wasm,
        "routes": routes,
        "cookie": format!("(?:^|;\\s*)(?:{})=([^;]+)", csrf_cookies.join("|")),
        "header": csrf_header,
    });
    format!(
        "<script>{}</script>",
        PLAN_JS.replace("PLAN", &plan.to_string())
    )
}

/// The route plan's script; `PLAN` is replaced by its data. It leaves the unpacked chunks in
/// `window.__portalPack` (a promise of name → bytes), the API answers in
/// `window.__portalPrefetch` (taken from the page's `#portal-answers` when the server drew
/// its first paint, see `crates/server/src/http/first_paint.rs`), and
/// `window.__portalPreparePack(address)` for sign-in. The API base is the runtime
/// configuration's, and only a path on this origin is asked (another origin's cookies are not
/// readable here).
const PLAN_JS: &str = r#"(function () {
  // `value`, a task later: lets the browser paint and handle input in between.
  window.__portalLater = function (value) {
    return new Promise(function (resolve) { setTimeout(resolve, 0, value); });
  };
  var plan = PLAN;
  var csrf = new RegExp(plan.cookie).exec(document.cookie);
  var api = "";
  try { api = JSON.parse(document.getElementById("portal-config").textContent).apiBase.replace(/\/+$/, ""); } catch (e) {}
  if (!/^\/(?!\/)/.test(api)) api = null;
  function screenOf(path) {
    var found = null;
    plan.routes.some(function (route) { return new RegExp(route[0]).test(path) && (found = route); });
    return found;
  }
  // Each chunk of the pack, compiled at once off the main thread (WebAssembly.compile); the
  // loader then only instantiates it. A chunk that does not compile is fetched on its own.
  function unpack(buffer) {
    var bytes = new Uint8Array(buffer), end = bytes.indexOf(10), at = end + 1, modules = {};
    JSON.parse(new TextDecoder().decode(bytes.subarray(0, end))).forEach(function (file) {
      modules[file[0]] = WebAssembly.compile(bytes.subarray(at, at + file[1])).catch(function () { return null; });
      at += file[1];
    });
    return modules;
  }
  function fetchPack(route) {
    if (window.__portalPack) return;
    window.__portalPack = fetch(plan.base + route[2]).then(function (response) {
      if (!response.ok) throw new Error("pack");
      return response.arrayBuffer();
    }).then(unpack);
    window.__portalPack.catch(function () {});
  }
  // Sign-in calls this as the member starts on the form: the code of the screen they will
  // land on downloads while they type.
  window.__portalPreparePack = function (address) {
    var route = screenOf(new URL(address, location.href).pathname);
    if (route) fetchPack(route);
  };
  var route = screenOf(location.pathname);
  if (!route || (route[1] && !csrf)) return;
  if (route[1]) {
    var link = document.createElement("link");
    link.rel = "preload"; link.as = "fetch"; link.crossOrigin = "anonymous";
    link.href = plan.base + plan.wasm;
    document.head.appendChild(link);
  }
  fetchPack(route);
  if (api === null || !route[3].length) return;
  var asked = window.__portalPrefetch = {};
  // A page the server drew for this member carries the answers already (its first paint).
  var given = {};
  try {
    var inline = JSON.parse(document.getElementById("portal-answers").textContent);
    if (inline.lang === document.documentElement.lang) given = inline.answers;
  } catch (e) {}
  // Each answer is handed over in a task of its own (a getter: the app takes it once), so
  // what the app draws with it is not one long task with what came before.
  function keep(key, answer) {
    Object.defineProperty(asked, key, { configurable: true, enumerable: true, get: function () {
      return answer.then(window.__portalLater);
    } });
  }
  route[3].forEach(function (request) {
    var method = request[0], url = api + request[1];
    if (given[method + " " + url]) {
      keep(method + " " + url, Promise.resolve(given[method + " " + url]));
      return;
    }
    var init = { method: method, headers: { "Accept-Language": document.documentElement.lang } };
    if (method === "POST") {
      init.headers["Content-Type"] = "application/json";
      init.headers[plan.header] = decodeURIComponent(csrf[1]);
      init.body = "{}";
    }
    keep(method + " " + url, fetch(url, init).then(function (response) {
      return response.text().then(function (text) { return { status: response.status, text: text }; });
    }).catch(function () { return null; }));
  });
})();"#;

/// Put in front of the split loader: each chunk comes from the route plan's pack when it is
/// there, already compiled (`{portalModule}`, which `index.html`'s `instantiateStreaming`
/// wrapper instantiates), once (the loader keeps what it instantiated); else from its own file.
pub const CHUNK_FROM_PACK_JS: &str = r#"function __portalChunk(url) {
  var name = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
  var pack = window.__portalPack;
  if (!pack) return fetch(url);
  return pack.then(function (modules) {
    var module = modules[name];
    if (!module) return fetch(url);
    delete modules[name];
    return module.then(function (compiled) { return compiled ? { portalModule: compiled } : fetch(url); });
  }, function () { return fetch(url); });
}
"#;

/// The split loader with its chunk fetches routed through `__portalChunk`, and a yield to the
/// browser (the route plan's `__portalLater`) before a split's chunks are instantiated and
/// again before its code runs: with its chunks at hand (the pack) every split would otherwise
/// run in the task that asked for it, and they all in one long task (a trace showed the
/// instantiation of the routed app's chunks in the app's first task).
pub fn loader_taking_chunks_from_packs(loader: &str) -> Result<String> {
    const FETCH: &str = "fetch(new URL(";
    const LOADED: &str = "await callee();";
    for expected in [FETCH, LOADED] {
        if !loader.contains(expected) {
            return Err(format!(
                "route plan: the split loader no longer contains `{expected}`; update CHUNK_FROM_PACK_JS"
            ));
        }
    }
    Ok(format!(
        "{CHUNK_FROM_PACK_JS}{}",
        loader.replace(FETCH, "__portalChunk(new URL(").replace(
            LOADED,
            "await window.__portalLater(); await callee(); await window.__portalLater();"
        )
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splits() -> BTreeMap<String, Vec<String>> {
        let mut splits = BTreeMap::new();
        for screen in &SCREENS {
            for split in screen.splits {
                splits.insert(
                    (*split).to_owned(),
                    vec![format!("split_{split}.wasm"), "chunk_1.wasm".to_owned()],
                );
            }
        }
        splits
    }

    #[test]
    fn a_screen_needs_each_file_of_its_splits_once() {
        let files = files_of(&SCREENS[1], &splits()).unwrap();
        assert_eq!(
            files,
            [
                "chunk_1.wasm",
                "split_card_page.wasm",
                "split_routed_app.wasm",
                "split_tab_bar.wasm"
            ]
        );
    }

    #[test]
    fn a_split_the_build_did_not_make_is_an_error() {
        let mut splits = splits();
        splits.remove("card_page");
        assert!(
            files_of(&SCREENS[1], &splits)
                .unwrap_err()
                .contains("card_page")
        );
    }

    #[test]
    fn patterns_match_as_the_router_does() {
        assert_eq!(Pattern::Exact("/card").regex(), "^/card$");
        assert_eq!(Pattern::OneBelow("/offers").regex(), "^/offers/[^/]+$");
        assert_eq!(Pattern::Tree("/aid").regex(), "^/aid(/.*)?$");
    }

    #[test]
    fn packs_are_named_after_their_screen() {
        assert_eq!(pack_name(&SCREENS[0]), "pack_home.pack");
        assert_eq!(pack_name(&SCREENS[1]), "pack_card.pack");
        assert_eq!(pack_name(&SCREENS[4]), "pack_offers_id.pack");
        let names: BTreeSet<String> = SCREENS.iter().map(pack_name).collect();
        assert_eq!(names.len(), SCREENS.len(), "two screens share a pack name");
    }

    #[test]
    fn a_pack_is_an_index_line_then_the_bytes() {
        let packed = pack(&[
            ("a.wasm".to_owned(), vec![1, 2, 3]),
            ("b.wasm".to_owned(), vec![10, 4]),
        ]);
        let header = b"[[\"a.wasm\",3],[\"b.wasm\",2]]\n";
        assert_eq!(&packed[..header.len()], header);
        assert_eq!(&packed[header.len()..], [1, 2, 3, 10, 4]);
    }

    #[test]
    fn the_loader_fetches_chunks_through_the_pack_and_yields_before_a_split_loads_and_runs() {
        let loader = "async () => { await callee(); success = true; }\n\
                      const src = fetch(new URL(\"./chunk_1.wasm\", import.meta.url));";
        let patched = loader_taking_chunks_from_packs(loader).unwrap();
        assert!(patched.starts_with("function __portalChunk(url)"));
        assert!(patched.ends_with("__portalChunk(new URL(\"./chunk_1.wasm\", import.meta.url));"));
        assert!(patched.contains(
            "{ await window.__portalLater(); await callee(); await window.__portalLater(); success = true; }"
        ));
        assert!(loader_taking_chunks_from_packs("import(\"x\")").is_err());
        assert!(
            loader_taking_chunks_from_packs("fetch(new URL(\"./c.wasm\"))").is_err(),
            "a loader without the split's await is refused"
        );
    }

    #[test]
    fn member_screens_ask_for_the_session_and_their_data_and_public_ones_for_nothing() {
        let script = script("/assets/x/", "portal_bg.wasm", &["a", "b"], "x-csrf");
        assert!(script.contains(
            r#"["^/card$",true,"pack_card.pack",[["GET","/v1/auth/session"],["GET","/v1/card"],["POST","/v1/card/ecard-token"]]]"#
        ), "{script}");
        assert!(script.contains(r#"["^/privacy$",false,"pack_privacy.pack",[]]"#));
        assert!(script.contains(r#""cookie":"(?:^|;\\s*)(?:a|b)=([^;]+)""#));
        assert!(!script.contains("PLAN"));
    }
}
