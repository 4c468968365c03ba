// TEMPORARY profiling harness (deleted before hand-off).
use std::path::Path;
use std::time::Instant;
use waymark::store::{self, sample, ExportFormat, ExportOptions, Filter, Store};
struct Counter(u64);
impl std::io::Write for Counter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len() as u64;
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
fn main() {
    let what = std::env::args().nth(1).unwrap();
    let dir = Path::new("/tmp/wm-profile");
    if !dir.join("waymark.sqlite3").exists() {
        let mut s = Store::open(dir).unwrap();
        let all = sample::sessions(7, 100_000, 15);
        for c in all.chunks(10_000) {
            s.import_results(c).unwrap();
        }
    }
    let s = Store::open(dir).unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        match what.as_str() {
            "report" => {
                store::report(&s, &Filter::default()).unwrap();
            }
            "csv" | "json" => {
                let f = if what == "csv" {
                    ExportFormat::Csv
                } else {
                    ExportFormat::Json
                };
                s.export(
                    &Filter::default(),
                    &ExportOptions {
                        format: f,
                        ..Default::default()
                    },
                    &mut Counter(0),
                    Path::new("-"),
                )
                .unwrap();
            }
            "bundle" => {
                s.write_bundle(&Filter::default(), &mut Counter(0), Path::new("-"))
                    .unwrap();
            }
            "read" => {
                s.sessions(&Filter::default()).unwrap();
            }
            _ => panic!(),
        }
        eprintln!("{what}: {:?}", t.elapsed());
    }
}
