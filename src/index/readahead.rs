//! Reading ahead of the workers, so that a cold page cache does not leave them waiting on one
//! small file after another.
//!
//! The workers take the files to read in order from one counter. A few more threads run ahead
//! of them, at most [`WINDOW`] files, and ask the kernel to start reading each file
//! (`posix_fadvise(WILLNEED)` on Linux; elsewhere they read it once into a buffer). Reads of
//! small files cost little CPU and much waiting, so several of them in flight do what the two
//! workers cannot; by the time a worker takes a file its pages are in memory.
//!
//! The read-ahead starts only once the workers' own reads show the files are not cached
//! ([`ReadStats`]): with a warm cache it gains nothing and costs an `open` and a `close` per
//! file (system time 0.83 → 0.91–0.99 s on an 18,678-file slice).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// How many files the read-ahead may run past the workers. It bounds the pages read before they
/// are wanted (a few MB of news articles), so a large archive does not push its own first files
/// out of the page cache before they are indexed.
pub const WINDOW: usize = 2048;

/// Threads that read ahead. They spend their time waiting on the disk, not on a CPU; many small
/// reads in flight are what make a cold folder fast to read (16 `cat`s in parallel read the
/// scaled corpus cold in half the time of one).
pub const THREADS: usize = 8;

/// A read slower than this is taken as one that waited on the disk: a cached article file is
/// read (open, read, close) in 10–20 µs, one from the disk of the machine this was measured on
/// in about 100 µs.
const SLOW_READ: Duration = Duration::from_micros(60);

/// The workers' reads: how many, and how many were slow. The page cache is taken as cold once
/// more than a quarter of at least 16 reads were slow, and stays so for the run (the read-ahead
/// then makes the reads fast, which says nothing of the files after them).
#[derive(Debug, Default)]
pub struct ReadStats {
    reads: AtomicUsize,
    slow: AtomicUsize,
    cold: AtomicBool,
}

impl ReadStats {
    /// Records a worker's read of one file, which took `took`.
    pub fn note(&self, took: Duration) {
        let reads = self.reads.fetch_add(1, Ordering::Relaxed) + 1;
        let slow = if took > SLOW_READ {
            self.slow.fetch_add(1, Ordering::Relaxed) + 1
        } else {
            self.slow.load(Ordering::Relaxed)
        };
        if reads >= 16 && slow * 4 > reads {
            self.cold.store(true, Ordering::Relaxed);
        }
    }

    /// Whether the files being read are not in the page cache.
    pub fn cold(&self) -> bool {
        self.cold.load(Ordering::Relaxed)
    }
}

/// The files of a run, handed out in order, with the read-ahead's position.
#[derive(Debug)]
pub struct Queue {
    len: usize,
    /// The next file a worker takes.
    taken: AtomicUsize,
    /// The next file the read-ahead reads.
    ahead: AtomicUsize,
    /// Set when the run ends early (an index error) or the workers are done.
    stopped: AtomicBool,
}

impl Queue {
    /// A queue of `len` files.
    pub fn new(len: usize) -> Queue {
        Queue {
            len,
            taken: AtomicUsize::new(0),
            ahead: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
        }
    }

    /// The next file for a worker, or None when every file is taken or the run stopped.
    pub fn take(&self) -> Option<usize> {
        if self.stopped.load(Ordering::Relaxed) {
            return None;
        }
        let i = self.taken.fetch_add(1, Ordering::Relaxed);
        (i < self.len).then_some(i)
    }

    /// Ends the read-ahead and the workers' taking.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    /// Once `stats` says the cache is cold, reads ahead of the workers until every file is read
    /// ahead or the queue is stopped. `path(i)` is the path of file `i`. Errors are ignored: the
    /// worker's own read reports them.
    pub fn read_ahead(&self, stats: &ReadStats, path: impl Fn(usize) -> PathBuf) {
        while !stats.cold() {
            if self.stopped.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let mut buf = Vec::new();
        loop {
            let i = self.ahead.fetch_add(1, Ordering::Relaxed);
            if i >= self.len {
                return;
            }
            while i >= self.taken.load(Ordering::Relaxed) + WINDOW {
                if self.stopped.load(Ordering::Relaxed) {
                    return;
                }
                // The workers take a few thousand files a second, so in 10 ms they use a few
                // percent of the window; waking more often cost measurable system time.
                std::thread::sleep(Duration::from_millis(10));
            }
            if self.stopped.load(Ordering::Relaxed) {
                return;
            }
            // A file a worker has taken already (all those before a late start) is not worth
            // an `open`.
            if i >= self.taken.load(Ordering::Relaxed) {
                advise(&path(i), &mut buf);
            }
        }
    }
}

/// Starts reading `path` into the page cache.
#[cfg(target_os = "linux")]
fn advise(path: &Path, _buf: &mut Vec<u8>) {
    if let Ok(file) = std::fs::File::open(path) {
        let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::WillNeed);
    }
}

/// Reads `path` once, so that the worker's read finds it in the page cache.
#[cfg(not(target_os = "linux"))]
fn advise(path: &Path, buf: &mut Vec<u8>) {
    use std::io::Read;
    if let Ok(mut file) = std::fs::File::open(path) {
        buf.clear();
        // Bounded: this only warms the cache; a huge file is read by its worker anyway.
        let _ = file.by_ref().take(64 << 20).read_to_end(buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn workers_take_every_file_once_in_order() {
        let q = Queue::new(5);
        let got: Vec<usize> = std::iter::from_fn(|| q.take()).collect();
        assert_eq!(got, [0, 1, 2, 3, 4]);
        assert_eq!(q.take(), None);
    }

    #[test]
    fn the_cache_is_cold_once_a_quarter_of_the_reads_were_slow() {
        let stats = ReadStats::default();
        for _ in 0..15 {
            stats.note(SLOW_READ * 2);
        }
        assert!(!stats.cold(), "too few reads to tell");
        stats.note(SLOW_READ * 2);
        assert!(stats.cold());

        let warm = ReadStats::default();
        for k in 0..1000 {
            // One read in five preempted: still a warm cache.
            warm.note(if k % 5 == 0 {
                SLOW_READ * 2
            } else {
                SLOW_READ / 4
            });
        }
        assert!(!warm.cold());
    }

    #[test]
    fn a_warm_cache_is_not_read_ahead() {
        let q = Queue::new(10);
        let stats = ReadStats::default();
        std::thread::scope(|s| {
            let h = s.spawn(|| q.read_ahead(&stats, |_| PathBuf::from("unused")));
            std::thread::sleep(Duration::from_millis(30));
            assert_eq!(q.ahead.load(Ordering::Relaxed), 0);
            q.stop();
            h.join().unwrap();
        });
    }

    #[test]
    fn a_late_start_skips_the_files_already_taken() {
        let q = Queue::new(300);
        for _ in 0..150 {
            q.take();
        }
        let stats = ReadStats::default();
        for _ in 0..16 {
            stats.note(SLOW_READ * 2);
        }
        let asked = std::sync::Mutex::new(Vec::new());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing");
        q.read_ahead(&stats, |i| {
            asked.lock().unwrap().push(i);
            path.clone()
        });
        let asked = asked.into_inner().unwrap();
        assert_eq!(asked, (150..300).collect::<Vec<_>>());
    }

    #[test]
    fn read_ahead_stays_within_the_window_and_stops() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..WINDOW + 10)
            .map(|i| dir.path().join(format!("missing-{i}")))
            .collect();
        let q = Queue::new(paths.len());
        let stats = ReadStats::default();
        for _ in 0..16 {
            stats.note(SLOW_READ * 2);
        }
        std::thread::scope(|s| {
            let h = s.spawn(|| q.read_ahead(&stats, |i| paths[i].clone()));
            // Nothing taken: the read-ahead reaches the window's end and waits there.
            while q.ahead.load(Ordering::Relaxed) < WINDOW + 1 {
                std::thread::yield_now();
            }
            std::thread::sleep(Duration::from_millis(20));
            assert_eq!(q.ahead.load(Ordering::Relaxed), WINDOW + 1);
            q.stop();
            h.join().unwrap();
        });
        assert_eq!(q.take(), None, "a stopped queue hands out nothing");
    }
}
