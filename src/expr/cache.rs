//! Parsed property values, and a small bounded cache of them keyed by dialect and source text.
//!
//! Parsing is most of the cost of [`super::evaluate`] and [`super::analyze`]; a value that is
//! evaluated again (every instance of an integration, every check of a submission, the preview
//! re-run when another field changes) needs it once: [`Parsed`] holds the syntax tree and the
//! static verdict (syntax errors, unknown names and functions), so evaluating it again only
//! looks up variables and runs the operators.
//!
//! [`ParseCache`] keeps at most `capacity` values and at most [`ParseCache::MAX_BYTES`] of
//! memory, evicting the least recently used values, and never caches a source longer than
//! [`ParseCache::MAX_SOURCE_LEN`] bytes (it is parsed and returned, not kept), so its memory
//! stays bounded whatever users type. The dialects never share an entry: the same text means
//! different things in OIDC, SAML and SCIM. [`cached`] is the calling thread's cache, used by
//! the domain's seam and the live preview.

use super::check::{analyze_parsed, eval_segments, static_error, template_variables};
use super::template::{is_expression, split, Template};
use super::{Analysis, CheckOptions, Dialect, Error};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A property value parsed once, to evaluate and analyze any number of times. Every method
/// answers exactly what the free function of the same name answers for the same source.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    dialect: Dialect,
    source: Box<str>,
    template: Template,
    is_expression: bool,
    /// What stops evaluating before any variable is read: the first syntax error, or the first
    /// static one (unknown names and functions, SAML `+` of texts).
    static_error: Option<Error>,
}

impl Parsed {
    /// Parses `source` as a property value of `dialect` (never fails: errors are kept and
    /// reported by [`Parsed::evaluate`] and [`Parsed::analyze`]).
    pub fn new(dialect: Dialect, source: &str) -> Parsed {
        let mut template = split(dialect, source);
        template.ast.shrink();
        let static_error = static_error(dialect, source, &template);
        Parsed {
            dialect,
            source: source.into(),
            template,
            is_expression: is_expression(dialect, source),
            static_error,
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The text that was parsed.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// As [`super::is_expression`].
    pub fn is_expression(&self) -> bool {
        self.is_expression
    }

    /// As [`super::evaluate`]: the text a customer's tenant gets with `vars`.
    pub fn evaluate(&self, vars: &BTreeMap<String, String>) -> Result<String, Error> {
        match &self.static_error {
            Some(e) => Err(e.clone()),
            None => eval_segments(self.dialect, &self.source, &self.template, vars, true),
        }
    }

    /// As [`super::analyze`]: everything the live preview needs.
    pub fn analyze(&self, opts: &CheckOptions) -> Analysis {
        analyze_parsed(self.dialect, &self.source, &self.template, opts)
    }

    /// As [`super::variables`]: the integration variables the value references.
    pub fn variables(&self) -> Vec<String> {
        template_variables(self.dialect, &self.source, &self.template)
    }

    /// About how much memory the value holds (for the cache's budget).
    fn weight(&self) -> usize {
        std::mem::size_of::<Parsed>()
            + self.source.len()
            + self.template.ast.heap_bytes()
            + self.template.segments.capacity() * std::mem::size_of::<super::template::Segment>()
    }
}

struct Slot {
    parsed: Arc<Parsed>,
    /// Its weight, and its key's length, in bytes.
    bytes: usize,
    /// When it was last asked for (a tick of [`ParseCache::tick`]).
    used: u64,
}

/// A bounded least-recently-used cache of [`Parsed`] values keyed by dialect and source text.
///
/// Not shared between threads by itself: a server keeps one per worker thread or behind a
/// lock; [`cached`] is the calling thread's.
pub struct ParseCache {
    capacity: usize,
    /// The memory the kept values hold (about), at most [`ParseCache::MAX_BYTES`].
    bytes: usize,
    /// One map per dialect (indexed by [`slot_of`]): a source never matches another
    /// dialect's entry.
    maps: [BTreeMap<String, Slot>; 3],
    tick: u64,
    hits: u64,
    misses: u64,
}

fn slot_of(dialect: Dialect) -> usize {
    match dialect {
        Dialect::Oidc => 0,
        Dialect::Saml => 1,
        Dialect::Scim => 2,
    }
}

impl ParseCache {
    /// The capacity of [`cached`]'s cache: more than the expression fields of several
    /// submissions, a few hundred kilobytes at most.
    pub const DEFAULT_CAPACITY: usize = 256;

    /// Longer sources are parsed but not kept (real values are well under 1 KB).
    pub const MAX_SOURCE_LEN: usize = 2048;

    /// The most memory the kept values may hold; the least recently used go first.
    pub const MAX_BYTES: usize = 1 << 20;

    /// A cache keeping at most `capacity` parsed values (0 keeps none).
    pub fn new(capacity: usize) -> ParseCache {
        ParseCache {
            capacity,
            bytes: 0,
            maps: Default::default(),
            tick: 0,
            hits: 0,
            misses: 0,
        }
    }

    /// The parsed `source`, from the cache or parsed now (and kept, evicting the least
    /// recently used value when full).
    pub fn get(&mut self, dialect: Dialect, source: &str) -> Arc<Parsed> {
        self.tick += 1;
        let tick = self.tick;
        let map = &mut self.maps[slot_of(dialect)];
        if let Some(slot) = map.get_mut(source) {
            slot.used = tick;
            self.hits += 1;
            return Arc::clone(&slot.parsed);
        }
        self.misses += 1;
        let parsed = Arc::new(Parsed::new(dialect, source));
        if self.capacity == 0 || source.len() > Self::MAX_SOURCE_LEN {
            return parsed;
        }
        let bytes = parsed.weight() + source.len();
        if bytes > Self::MAX_BYTES {
            return parsed;
        }
        while self.len() >= self.capacity || self.bytes + bytes > Self::MAX_BYTES {
            if !self.evict_least_recently_used() {
                break;
            }
        }
        self.bytes += bytes;
        self.maps[slot_of(dialect)].insert(
            source.to_string(),
            Slot {
                parsed: Arc::clone(&parsed),
                bytes,
                used: tick,
            },
        );
        parsed
    }

    /// Drops the least recently used value; false when there is none.
    fn evict_least_recently_used(&mut self) -> bool {
        let oldest = self
            .maps
            .iter()
            .enumerate()
            .flat_map(|(i, m)| m.iter().map(move |(k, s)| (s.used, i, k)))
            .min_by_key(|(used, _, _)| *used)
            .map(|(_, i, k)| (i, k.clone()));
        let removed = oldest.and_then(|(i, key)| self.maps.get_mut(i)?.remove(&key));
        match removed {
            Some(slot) => {
                self.bytes = self.bytes.saturating_sub(slot.bytes);
                true
            }
            None => false,
        }
    }

    /// As [`super::evaluate`], parsing `source` at most once while it stays cached.
    pub fn evaluate(
        &mut self,
        dialect: Dialect,
        source: &str,
        vars: &BTreeMap<String, String>,
    ) -> Result<String, Error> {
        self.get(dialect, source).evaluate(vars)
    }

    /// As [`super::analyze`], parsing `source` at most once while it stays cached.
    pub fn analyze(&mut self, dialect: Dialect, source: &str, opts: &CheckOptions) -> Analysis {
        self.get(dialect, source).analyze(opts)
    }

    /// Whether `source` is cached for `dialect` (does not count as a use).
    pub fn contains(&self, dialect: Dialect, source: &str) -> bool {
        self.maps[slot_of(dialect)].contains_key(source)
    }

    /// How many parsed values are kept (at most [`ParseCache::capacity`]).
    pub fn len(&self) -> usize {
        self.maps.iter().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// About how much memory the kept values hold (at most [`ParseCache::MAX_BYTES`]).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// How many [`ParseCache::get`] calls found their value cached.
    pub fn hits(&self) -> u64 {
        self.hits
    }

    /// How many [`ParseCache::get`] calls parsed.
    pub fn misses(&self) -> u64 {
        self.misses
    }

    /// Forgets every value (the counters stay).
    pub fn clear(&mut self) {
        for m in &mut self.maps {
            m.clear();
        }
        self.bytes = 0;
    }
}

impl Default for ParseCache {
    fn default() -> ParseCache {
        ParseCache::new(ParseCache::DEFAULT_CAPACITY)
    }
}

thread_local! {
    static THREAD_CACHE: RefCell<ParseCache> = RefCell::new(ParseCache::default());
}

/// `source` parsed, from the calling thread's cache ([`ParseCache::DEFAULT_CAPACITY`] values):
/// what the domain's seam and the live preview use, so a value checked or evaluated again is
/// not parsed again.
pub fn cached(dialect: Dialect, source: &str) -> Arc<Parsed> {
    THREAD_CACHE
        .try_with(|c| match c.try_borrow_mut() {
            Ok(mut cache) => cache.get(dialect, source),
            // Only if called while the cache is in use (it never calls out): parse alone.
            Err(_) => Arc::new(Parsed::new(dialect, source)),
        })
        .unwrap_or_else(|_| Arc::new(Parsed::new(dialect, source)))
}
