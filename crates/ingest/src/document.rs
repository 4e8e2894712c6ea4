//! The shape both profile forms are read into before anything is extracted:
//! a title, label/value fields, and sections of nested items, each with the
//! position it came from. Text and HTML readers produce it; `extract` reads it.

use std::fmt;

/// A 1-based line and column (in characters) in the input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub fn new(line: u32, column: u32) -> Self {
        Pos { line, column }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A label/value pair from the head of the page (`Country/Territory` →
/// `United States`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: String,
    pub value: String,
    pub pos: Pos,
}

/// A bullet or a paragraph, with the bullets nested beneath it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    pub pos: Pos,
    pub bullet: bool,
    pub children: Vec<Item>,
}

/// A heading and what stands beneath it up to the next heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    /// 1 for a topic heading that groups the sections after it, 2 for a
    /// section of its own, deeper for sub-sections.
    pub level: u8,
    pub pos: Pos,
    pub items: Vec<Item>,
}

/// A profile page as read, before extraction.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfileDoc {
    /// The subject's name line (`Alliance for Middle East Peace (ALLMEP)`).
    pub title: String,
    pub title_pos: Pos,
    pub fields: Vec<Field>,
    pub sections: Vec<Section>,
}
