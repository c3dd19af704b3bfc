//! SQLite's writers: one at a time per process, in the order they came, each in a transaction
//! that takes the write lock up front.

use diesel::Connection;

use super::DbConn;

/// This process's SQLite writers, one at a time and in the order they came (see
/// [`write_transaction`]).
static SQLITE_WRITER: TurnLock = TurnLock::new();

/// A lock taken in the order it was asked for (a ticket lock). `std::sync::Mutex` lets a thread
/// that has just arrived take the lock before those already waiting, so under a queue of writers
/// some wait far longer than the rest. Giving the lock back wakes only the next waiter: waking
/// them all (a condition variable's `notify_all`) sent every other waiter back to sleep at once,
/// a context switch each, on cores the writers' own requests keep busy.
struct TurnLock {
    queue: std::sync::Mutex<Tickets>,
}

/// The next ticket to hand out, the ticket whose turn it is, and the threads waiting for theirs,
/// in ticket order.
struct Tickets {
    next: u64,
    turn: u64,
    waiting: std::collections::VecDeque<(u64, std::thread::Thread)>,
}

struct Turn<'a>(&'a TurnLock);

impl TurnLock {
    const fn new() -> Self {
        Self {
            queue: std::sync::Mutex::new(Tickets {
                next: 0,
                turn: 0,
                waiting: std::collections::VecDeque::new(),
            }),
        }
    }

    fn tickets(&self) -> std::sync::MutexGuard<'_, Tickets> {
        self.queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn lock(&self) -> Turn<'_> {
        let mine = {
            let mut tickets = self.tickets();
            let mine = tickets.next;
            tickets.next += 1;
            if tickets.turn == mine {
                return Turn(self);
            }
            tickets.waiting.push_back((mine, std::thread::current()));
            mine
        };
        // `park` can return without the `unpark` of this turn, so look again each time; an
        // `unpark` that comes before the `park` makes it return at once, so none is lost.
        loop {
            std::thread::park();
            if self.tickets().turn == mine {
                return Turn(self);
            }
        }
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut tickets = self.0.tickets();
        tickets.turn += 1;
        let turn = tickets.turn;
        let next = match tickets.waiting.front() {
            Some((ticket, _)) if *ticket == turn => tickets.waiting.pop_front(),
            _ => None,
        };
        drop(tickets);
        if let Some((_, thread)) = next {
            thread.unpark();
        }
    }
}

/// Runs `f` in a transaction that takes SQLite's write lock up front (`BEGIN IMMEDIATE`), so two
/// read-then-write transactions cannot deadlock on lock upgrade; a plain transaction on PostgreSQL.
///
/// On SQLite the process's writers also queue on a lock before `BEGIN IMMEDIATE`. SQLite
/// allows one writer anyway; without the queue, the others wait in its busy handler, which
/// sleeps in steps of up to 100 ms, so that under 32 concurrent voters the slowest votes waited
/// half a second (issue 11). A waiter on the lock starts the moment the writer before it ends,
/// and waiters go in the order they came: with `std::sync::Mutex`, which lets newcomers barge
/// in, the 99th percentile of 32 voters was 59–66 ms; taking turns, 40–42 ms, and 15 % more votes
/// a second (`scripts/bench --rows votes --skip-paint`, twice each).
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    if let DbConn::Sqlite(inner) = conn {
        let _writer = SQLITE_WRITER.lock();
        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
        match f(conn) {
            Ok(value) => {
                <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
                Ok(value)
            }
            Err(err) => {
                <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
                Err(err)
            }
        }
    } else {
        conn.transaction(f)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use super::TurnLock;

    #[test]
    fn writers_get_the_lock_in_the_order_they_asked_for_it() {
        let lock = Arc::new(TurnLock::new());
        let order = Arc::new(Mutex::new(Vec::new()));
        let first = lock.lock();
        let waiters: Vec<_> = (1..=6)
            .map(|i| {
                let (mine, order) = (Arc::clone(&lock), Arc::clone(&order));
                let waiter = std::thread::spawn(move || {
                    let _turn = mine.lock();
                    order.lock().unwrap().push(i);
                });
                // The next one asks only once this one holds its ticket.
                while lock.tickets().next < i + 1 {
                    std::thread::sleep(Duration::from_millis(1));
                }
                waiter
            })
            .collect();
        // Giving the lock back and asking again at once does not jump the queue (a
        // `std::sync::Mutex` would usually hand it straight back to this thread).
        drop(first);
        let again = lock.lock();
        order.lock().unwrap().push(0);
        drop(again);
        for waiter in waiters {
            waiter.join().unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![1, 2, 3, 4, 5, 6, 0]);
    }
}
