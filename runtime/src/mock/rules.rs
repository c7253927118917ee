//! Expectations: an operation, what a request of it must match, the answers to give in turn,
//! and how many times it may or must be met. Requests try the expectations in the order they
//! were made; the first that matches and is not used up answers.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::reply::Reply;
use super::request::Request;
use crate::operation::Operation;

type Check = Box<dyn Fn(&Request) -> Result<(), String> + Send + Sync>;
type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

/// How many times an expectation may answer, and must have answered at [`super::MockServer::verify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Times {
    /// Any number, none included (the default).
    Any,
    /// Exactly this many; more requests go to the next expectation, or get a 501.
    Exactly(usize),
    /// At least this many.
    AtLeast(usize),
    /// At most this many.
    AtMost(usize),
}

impl Times {
    fn allows_another(self, hits: usize) -> bool {
        match self {
            Times::Exactly(n) | Times::AtMost(n) => hits < n,
            Times::Any | Times::AtLeast(_) => true,
        }
    }

    fn met_by(self, hits: usize) -> bool {
        match self {
            Times::Any => true,
            Times::Exactly(n) => hits == n,
            Times::AtLeast(n) => hits >= n,
            Times::AtMost(n) => hits <= n,
        }
    }
}

impl fmt::Display for Times {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Times::Any => f.write_str("any number of times"),
            Times::Exactly(1) => f.write_str("once"),
            Times::Exactly(n) => write!(f, "exactly {n} times"),
            Times::AtLeast(n) => write!(f, "at least {n} times"),
            Times::AtMost(n) => write!(f, "at most {n} times"),
        }
    }
}

/// An answer in an expectation's sequence.
#[derive(Clone)]
enum Answer {
    Reply(Reply),
    Handler(Handler),
}

/// What an expectation is, shared by its handles and the server.
pub(crate) struct RuleState {
    pub(crate) operation: &'static Operation,
    number: usize,
    matchers: Mutex<Vec<(String, Check)>>,
    answers: Mutex<Vec<Answer>>,
    times: Mutex<Times>,
    hits: AtomicUsize,
}

impl RuleState {
    pub(crate) fn new(operation: &'static Operation, number: usize) -> Self {
        RuleState {
            operation,
            number,
            matchers: Mutex::new(Vec::new()),
            answers: Mutex::new(Vec::new()),
            times: Mutex::new(Times::Any),
            hits: AtomicUsize::new(0),
        }
    }

    /// How the expectation reads in messages: `#2 getJob (jobId is "j1")`.
    pub(crate) fn describe(&self) -> String {
        let matchers = self.matchers.lock().unwrap();
        let what: Vec<&str> = matchers.iter().map(|(w, _)| w.as_str()).collect();
        if what.is_empty() {
            format!("#{} {}", self.number, self.operation.id)
        } else {
            format!("#{} {} ({})", self.number, self.operation.id, what.join(", "))
        }
    }

    /// Why `request` does not match, if it does not: the first matcher that fails.
    pub(crate) fn mismatch(&self, request: &Request) -> Option<String> {
        if request.operation_id() != Some(self.operation.id) {
            return Some(format!("it is for {}", self.operation.id));
        }
        let matchers = self.matchers.lock().unwrap();
        matchers.iter().find_map(|(what, check)| check(request).err().map(|got| format!("wanted {what}, got {got}")))
    }

    /// Whether it may answer once more.
    pub(crate) fn available(&self) -> bool {
        self.times.lock().unwrap().allows_another(self.hits.load(Ordering::SeqCst))
    }

    /// Takes one use and gives the answer for it: the n-th answer for the n-th request, the last
    /// one again after that. `None` when no answer was given.
    pub(crate) fn answer(&self, request: &Request) -> Option<Reply> {
        let n = self.hits.fetch_add(1, Ordering::SeqCst);
        let answer = {
            let answers = self.answers.lock().unwrap();
            answers.get(n.min(answers.len().saturating_sub(1))).cloned()
        }?;
        Some(match answer {
            Answer::Reply(reply) => reply,
            Answer::Handler(handler) => handler(request),
        })
    }

    /// Why it is not met, if it is not.
    pub(crate) fn unmet(&self) -> Option<String> {
        let (times, hits) = (*self.times.lock().unwrap(), self.hits.load(Ordering::SeqCst));
        (!times.met_by(hits)).then(|| format!("{} was to be met {times}, and was met {hits} times", self.describe()))
    }
}

/// A handle on one expectation of a [`super::MockServer`]: add what requests must match and the
/// answers to give. Every method works in place, so a handle can be configured after requests
/// have started to arrive (a job that finishes once the test says so).
#[derive(Clone)]
pub struct Rule {
    pub(crate) state: Arc<RuleState>,
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.state.describe())
    }
}

impl Rule {
    /// Requests must pass `check`, described as `what` in messages (`jobId is "j1"`): it returns
    /// what it saw instead when they do not.
    pub fn matching(
        &self,
        what: impl Into<String>,
        check: impl Fn(&Request) -> Result<(), String> + Send + Sync + 'static,
    ) -> &Self {
        self.state.matchers.lock().unwrap().push((what.into(), Box::new(check)));
        self
    }

    /// Adds `reply` to the sequence of answers: the first request gets the first answer, the
    /// second the second..., and every request after the last gets the last again.
    pub fn reply(&self, reply: Reply) -> &Self {
        self.state.answers.lock().unwrap().push(Answer::Reply(reply));
        self
    }

    /// Adds an answer computed from each request to the sequence.
    pub fn reply_with(&self, handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> &Self {
        self.state.answers.lock().unwrap().push(Answer::Handler(Arc::new(handler)));
        self
    }

    /// How many times it may answer, and must have answered at `verify`.
    pub fn times(&self, times: Times) -> &Self {
        *self.state.times.lock().unwrap() = times;
        self
    }

    /// How many requests it answered.
    pub fn hits(&self) -> usize {
        self.state.hits.load(Ordering::SeqCst)
    }

    /// The operation it is for.
    pub fn operation(&self) -> &'static Operation {
        self.state.operation
    }
}
