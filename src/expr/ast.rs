//! The syntax tree of one expression part. Every node knows the byte range it came from.

use std::ops::Range;

/// How deep a tree may nest (parentheses, operators, calls): deeper input is an error,
/// never a stack overflow.
pub const MAX_DEPTH: u32 = 64;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub span: Range<usize>,
    /// 1 for a leaf; 1 + the deepest child otherwise (bounded by [`MAX_DEPTH`]).
    pub depth: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NodeKind {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// `root.path…` or a bare identifier (`path` empty).
    Var {
        root: String,
        path: Vec<String>,
    },
    Call {
        ns: Ns,
        name: String,
        name_span: Range<usize>,
        args: Vec<Node>,
    },
    Unary {
        op: UnOp,
        operand: Box<Node>,
    },
    Binary {
        op: BinOp,
        op_span: Range<usize>,
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    Cond {
        cond: Box<Node>,
        then: Box<Node>,
        els: Box<Node>,
    },
    Elvis {
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
}

/// The namespace a function is called in.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ns {
    /// `String.name(…)`: Okta functions.
    Okta,
    /// `fn:name(…)`: JSTL functions.
    Jstl,
    /// `prefix:name(…)` with another prefix, or `a.b.name(…)`.
    Other(String),
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

impl Node {
    pub fn leaf(kind: NodeKind, span: Range<usize>) -> Node {
        Node {
            kind,
            span,
            depth: 1,
        }
    }

    /// Visits this node and all its descendants, parents first.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Node)) {
        f(self);
        match &self.kind {
            NodeKind::Call { args, .. } => args.iter().for_each(|a| a.walk(f)),
            NodeKind::Unary { operand, .. } => operand.walk(f),
            NodeKind::Binary { lhs, rhs, .. } | NodeKind::Elvis { lhs, rhs } => {
                lhs.walk(f);
                rhs.walk(f);
            }
            NodeKind::Cond { cond, then, els } => {
                cond.walk(f);
                then.walk(f);
                els.walk(f);
            }
            _ => {}
        }
    }
}
