//! The syntax trees of one property value: every node of every part lives in one arena
//! ([`Ast`]) and refers to its children by index, and to names and texts by their byte range
//! in the source. A tree holds no borrowed text, so a parsed value can be cached next to its
//! source (see [`super::cache`]); it allocates one vector of nodes instead of a box per node.

use super::functions::FnSpec;
use std::ops::Range;

/// How deep a tree may nest (parentheses, operators, calls): deeper input is an error,
/// never a stack overflow.
pub const MAX_DEPTH: u32 = 64;

/// The index of a node in its [`Ast`].
pub(crate) type NodeId = u32;

/// One node: 56 bytes, so that storing it is a few moves rather than a block copy (its depth,
/// needed only while parsing, is kept next to it in [`Ast`]).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub span: Range<usize>,
}

/// A text: a range of the source (no escapes in it), or the text with its escapes resolved.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Lit {
    Src(Range<usize>),
    Owned(Box<str>),
}

impl Lit {
    /// The text, given the source the ranges point into.
    #[inline(always)]
    pub fn text<'a>(&'a self, src: &'a str) -> &'a str {
        match self {
            Lit::Src(r) => src.get(r.clone()).unwrap_or(""),
            Lit::Owned(s) => s,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NodeKind {
    Str(Lit),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// `root.path…` or a bare identifier (`path` empty). `path` is the source range from the
    /// first name after `root.` to the last one: names separated by `.` (and maybe spaces).
    Var {
        root: Range<usize>,
        path: Range<usize>,
    },
    Call {
        ns: Ns,
        /// The length of the function's name (the token after `String.`, `fn:`, …), which
        /// ends `name_span` (see [`NodeKind::call_name`]).
        name_len: u32,
        /// The whole name as written (`String.len`, `fn:trim`), for messages.
        name_span: Range<usize>,
        /// Indexes into [`Ast::args`].
        args: Range<u32>,
        /// The function, resolved when parsing when it exists and takes this many arguments;
        /// `None` means evaluating it reports why (see `eval::resolve_fn`).
        spec: Option<&'static FnSpec>,
    },
    Unary {
        op: UnOp,
        operand: NodeId,
    },
    Binary {
        op: BinOp,
        op_span: Range<usize>,
        lhs: NodeId,
        rhs: NodeId,
    },
    Cond {
        cond: NodeId,
        then: NodeId,
        els: NodeId,
    },
    Elvis {
        lhs: NodeId,
        rhs: NodeId,
    },
}

impl NodeKind {
    /// The source range of a call's function name: the end of its `name_span`.
    pub fn call_name(name_span: &Range<usize>, name_len: u32) -> Range<usize> {
        name_span.end.saturating_sub(name_len as usize)..name_span.end
    }
}

/// The namespace a function is called in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ns {
    /// `String.name(…)`: Okta functions.
    Okta,
    /// `fn:name(…)`: JSTL functions.
    Jstl,
    /// `prefix:name(…)` with another prefix, or `a.b.name(…)` (the prefix as written is the
    /// call's name span without the name, see `eval::ns_prefix`).
    Other,
    /// `name(…)` without a namespace.
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnOp {
    Not,
    Neg,
    Empty,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinOp {
    Add,
    Concat,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    And,
    Or,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Concat => "+=",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Gt => ">",
            BinOp::Le => "<=",
            BinOp::Ge => ">=",
            BinOp::And => "&&",
            BinOp::Or => "||",
        }
    }
}

/// What [`Ast::node`] answers for an index that is not in the arena (never, by construction).
static MISSING: Node = Node {
    kind: NodeKind::Null,
    span: 0..0,
};

/// The nodes of all parts of one value, children before their parents.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Ast {
    nodes: Vec<Node>,
    /// Each node's depth: 1 for a leaf, 1 + the deepest child otherwise (bounded by
    /// [`MAX_DEPTH`]).
    depths: Vec<u8>,
    /// The arguments of every call, each call's contiguous.
    args: Vec<NodeId>,
    /// Whether a node may fail the static checks (`check::static_error`): a name other than
    /// `app.<name>`/`org.<name>`, a call the parser could not resolve, a SAML `+`. When false,
    /// the checks have nothing to find and are skipped.
    pub needs_check: bool,
}

impl Ast {
    pub fn with_capacity(nodes: usize) -> Ast {
        Ast {
            nodes: Vec::with_capacity(nodes),
            depths: Vec::with_capacity(nodes),
            args: Vec::new(),
            needs_check: false,
        }
    }

    /// Adds a node of depth `depth` (at most [`MAX_DEPTH`]).
    #[inline(always)]
    pub fn push(&mut self, node: Node, depth: u32) -> NodeId {
        self.nodes.push(node);
        self.depths.push(depth.min(MAX_DEPTH) as u8);
        (self.nodes.len() - 1) as NodeId
    }

    /// The depth of node `id` (see [`Ast::push`]).
    #[inline(always)]
    pub fn depth(&self, id: NodeId) -> u32 {
        self.depths.get(id as usize).map_or(1, |&d| u32::from(d))
    }

    /// Empties the tree, keeping its room.
    pub fn clear(&mut self) {
        self.nodes.clear();
        self.depths.clear();
        self.args.clear();
        self.needs_check = false;
    }

    /// Frees unused room (for a tree that is kept, see `cache`).
    pub fn shrink(&mut self) {
        self.nodes.shrink_to_fit();
        self.depths.shrink_to_fit();
        self.args.shrink_to_fit();
    }

    /// The heap memory the tree holds (approximately: texts of escaped literals not counted).
    pub fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.depths.capacity()
            + self.args.capacity() * std::mem::size_of::<NodeId>()
    }

    #[inline(always)]
    pub fn node(&self, id: NodeId) -> &Node {
        self.nodes.get(id as usize).unwrap_or(&MISSING)
    }

    pub fn node_mut(&mut self, id: NodeId) -> Option<&mut Node> {
        self.nodes.get_mut(id as usize)
    }

    /// Stores a call's arguments; returns their range for [`NodeKind::Call`].
    pub fn push_args(&mut self, args: &[NodeId]) -> Range<u32> {
        let start = self.args.len() as u32;
        self.args.extend_from_slice(args);
        start..self.args.len() as u32
    }

    #[inline(always)]
    pub fn args(&self, r: &Range<u32>) -> &[NodeId] {
        self.args
            .get(r.start as usize..r.end as usize)
            .unwrap_or(&[])
    }

    /// Visits node `id` and all its descendants, parents first.
    pub fn walk<'a>(&'a self, id: NodeId, f: &mut dyn FnMut(&'a Node)) {
        let n = self.node(id);
        f(n);
        match &n.kind {
            NodeKind::Call { args, .. } => {
                for &a in self.args(args) {
                    self.walk(a, f);
                }
            }
            NodeKind::Unary { operand, .. } => self.walk(*operand, f),
            NodeKind::Binary { lhs, rhs, .. } | NodeKind::Elvis { lhs, rhs } => {
                self.walk(*lhs, f);
                self.walk(*rhs, f);
            }
            NodeKind::Cond { cond, then, els } => {
                self.walk(*cond, f);
                self.walk(*then, f);
                self.walk(*els, f);
            }
            _ => {}
        }
    }
}

impl Node {
    #[inline(always)]
    pub fn leaf(kind: NodeKind, span: Range<usize>) -> Node {
        Node { kind, span }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nodes are stored by the thousands per second: they stay small enough to be moved with
    /// a few stores (larger values are block-copied at the wasm app's size-optimized level).
    #[test]
    fn nodes_stay_small() {
        assert!(
            std::mem::size_of::<Node>() <= 56,
            "{}",
            std::mem::size_of::<Node>()
        );
    }
}
