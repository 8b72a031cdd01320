//! Per-pattern search cost: each detector pattern alone, as one regex over a whole file.
//! `cargo run --release --example pattern_cost -- FILE`
use piimap::detection::Catalog;
use regex_automata::meta::Regex;

fn main() {
    let path = std::env::args().nth(1).expect("FILE");
    let hay = std::fs::read(path).expect("read");
    let catalog = Catalog::builtin().expect("catalog");
    for d in catalog.detectors() {
        for p in &d.patterns {
            let re = Regex::builder().build_from_hir(&p.hir).expect("regex");
            let t = std::time::Instant::now();
            let n = re.find_iter(&hay).count();
            let s = t.elapsed().as_secs_f64();
            println!(
                "{:>8.1} MB/s {:>9} matches  {}/{} run={} bytes={:?}",
                hay.len() as f64 / 1e6 / s,
                n,
                d.id,
                p.name,
                p.digit_run,
                p.required_bytes
            );
        }
    }
}
