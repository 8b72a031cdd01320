//! Shows that scanning allocates nothing per candidate: a counting global allocator wraps the
//! system one, and the engine scans the engine bench's corpus (mixed logs, CSV rows and prose
//! with PII and hard negatives) twice with one scratch space. The first scan warms the
//! scratch (regex caches, hit and window buffers); the second must allocate (almost) nothing
//! however many candidates it checks.
//!
//! Run with `cargo bench --bench alloc`; it fails (exit 1) if the warm scan allocates more
//! than a handful of times.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use piimap::detection::{Catalog, Engine, EngineOptions};

mod common;

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let data = common::corpus(8 << 20);
    let catalog = Catalog::builtin().expect("built-in catalogue");
    let engine = Engine::new(&catalog, EngineOptions::default()).expect("engine");
    let mut scratch = engine.scratch();
    // Warm-up: caches and buffers grow to their working size.
    engine.scan(&data, 0..data.len(), &mut scratch);
    engine.scan(&data, 0..data.len(), &mut scratch);
    let (a0, b0) = (
        ALLOCS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    );
    engine.scan(&data, 0..data.len(), &mut scratch);
    let hits = scratch.hits().len();
    let allocs = ALLOCS.load(Ordering::Relaxed) - a0;
    let bytes = BYTES.load(Ordering::Relaxed) - b0;
    println!(
        "warm scan of {:.1} MB: {hits} hits, {allocs} allocations ({bytes} bytes)",
        data.len() as f64 / 1e6
    );
    if allocs > 16 {
        eprintln!("the hot loop allocates: {allocs} allocations for {hits} hits");
        std::process::exit(1);
    }
}
