//! Hostile repositories: one test per class of attack from issue 9. Each
//! builds a real repository in a temp folder whose committed bytes try to
//! open, crash or stall the gate, runs the real binary on it, and asserts
//! that the gate stays closed (blocks or exits 2 with a clear message), that
//! nothing outside the repository is read or written, and that time, memory
//! and output stay bounded.
//!
//! The classes live in submodules, one file per family.

#[path = "../support/mod.rs"]
mod support;

mod bounds;
mod bounds_harness;
mod headings;
mod html;
mod io;
mod terminal;
