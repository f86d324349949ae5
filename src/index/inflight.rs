//! A bound on the documents handed to tantivy and not yet indexed.
//!
//! tantivy queues up to 10,000 batches (an article with its statements) between the workers and
//! its indexing thread. While that thread writes a segment out, the workers keep extracting and
//! the queue fills: tens of megabytes of documents, more or fewer from run to run, on top of the
//! indexing budget (200,000 articles peaked anywhere from 340 to 390 MB). tantivy does not say
//! when it takes a batch off the queue, but it drops each document once it has indexed it: the
//! last document of a batch carries a [`Ticket`] whose drop gives its bytes back to a [`Gate`],
//! and a worker waits at the gate while too many bytes are in flight.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use tantivy::TantivyDocument;
use tantivy::schema::document::Document;

/// Bytes of article text (title and body) tantivy may hold in its queue before a worker waits.
/// A document takes a few times its text in memory (its values, its statements' documents), so
/// 8 MiB of text is some 3,000 BBC-sized articles, enough to keep the indexing thread fed.
pub const DEFAULT_BYTES: u64 = 8 << 20;

/// Counts the bytes in flight and makes workers wait above a bound.
#[derive(Debug)]
pub struct Gate {
    bound: u64,
    in_flight: Mutex<InFlight>,
    freed: Condvar,
}

/// What a [`Gate`] guards.
#[derive(Debug, Default)]
struct InFlight {
    bytes: u64,
    /// Workers waiting: a dropped ticket wakes them only when there are some, as a wake-up is
    /// a system call and a run drops a ticket per article.
    waiting: usize,
}

impl Gate {
    /// A gate letting `bound` bytes through at once (always at least one batch, however large).
    pub fn new(bound: u64) -> Arc<Gate> {
        Arc::new(Gate {
            bound,
            in_flight: Mutex::default(),
            freed: Condvar::new(),
        })
    }

    /// Waits until `bytes` more fit (or nothing is in flight), then counts them until the
    /// returned ticket is dropped.
    pub fn enter(self: &Arc<Gate>, bytes: u64) -> Ticket {
        let mut n = self
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while n.bytes > 0 && n.bytes.saturating_add(bytes) > self.bound {
            // A timeout only rechecks: tickets are dropped by tantivy's thread, and a wait
            // must not outlive a wake-up lost to a thread that died.
            n.waiting += 1;
            n = self
                .freed
                .wait_timeout(n, Duration::from_millis(50))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            n.waiting -= 1;
        }
        n.bytes += bytes;
        Ticket {
            gate: Arc::clone(self),
            bytes,
        }
    }

    /// Bytes in flight now.
    pub fn in_flight(&self) -> u64 {
        self.in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .bytes
    }
}

/// Bytes counted at a [`Gate`] until dropped.
#[derive(Debug)]
pub struct Ticket {
    gate: Arc<Gate>,
    bytes: u64,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut n = self
            .gate
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        n.bytes = n.bytes.saturating_sub(self.bytes);
        if n.waiting > 0 {
            self.gate.freed.notify_all();
        }
    }
}

/// A document for tantivy, with the ticket of its batch when it is the batch's last.
#[derive(Debug)]
pub struct Tracked {
    doc: TantivyDocument,
    // Only held: dropping it gives its bytes back.
    _ticket: Option<Ticket>,
}

impl Tracked {
    /// A document that holds nothing at the gate.
    pub fn new(doc: TantivyDocument) -> Self {
        Tracked { doc, _ticket: None }
    }

    /// Makes the document hold `ticket` until it is indexed (dropped).
    pub fn hold(&mut self, ticket: Ticket) {
        self._ticket = Some(ticket);
    }
}

impl Document for Tracked {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use tantivy::schema::Field;

    fn fields(d: &Tracked) -> Vec<Field> {
        d.iter_fields_and_values().map(|(f, _)| f).collect()
    }

    #[test]
    fn a_worker_waits_until_tantivy_drops_a_batch() {
        let gate = Gate::new(100);
        let first = gate.enter(60);
        // Over the bound with nothing in flight: let through, or a large article never would be.
        drop(first);
        let big = gate.enter(500);
        assert_eq!(gate.in_flight(), 500);
        let entered = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                let _t = gate.enter(10);
                entered.store(true, Ordering::SeqCst);
            });
            std::thread::sleep(Duration::from_millis(100));
            assert!(!entered.load(Ordering::SeqCst), "entered over the bound");
            drop(big);
        });
        assert!(entered.load(Ordering::SeqCst));
        assert_eq!(gate.in_flight(), 0);
    }

    #[test]
    fn a_tracked_document_is_its_document_and_frees_its_ticket_when_dropped() {
        let mut schema = tantivy::schema::Schema::builder();
        let title = schema.add_text_field("title", tantivy::schema::TEXT);
        let mut doc = TantivyDocument::default();
        doc.add_text(title, "Border reopens");
        let gate = Gate::new(1 << 20);
        let mut tracked = Tracked::new(doc);
        tracked.hold(gate.enter(14));
        assert_eq!(fields(&tracked), [title]);
        assert_eq!(gate.in_flight(), 14);
        drop(tracked);
        assert_eq!(gate.in_flight(), 0);
        assert!(fields(&Tracked::new(TantivyDocument::default())).is_empty());
    }
}
