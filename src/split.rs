//! Split points: functions whose code `cargo xtask build` moves into a lazily loaded wasm chunk.
//!
//! `split_point!(chunk, fn name(args) -> Result<T, SplitLoaderError> { … })` declares an async
//! function. With the `split` feature (the bundle build) it is a `wasm_split` point: calling it
//! fetches its chunk first. Without it (unit and browser tests, which link one module) it runs
//! the body directly: a split point's loader is an import that only the built bundle provides,
//! and once split points nest (the routed app holds the screens' points) every one of them is
//! reachable from the chunks' exports.
macro_rules! split_point {
    ($split:ident, $(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        $(#[$meta])*
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split($split, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name($($arg: $ty),*) -> $ret $body

        $(#[$meta])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> $ret $body
    };
}

pub(crate) use split_point;
