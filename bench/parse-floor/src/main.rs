//! `designgate-parse-floor DIR`: reads every `.md` file under DIR and parses
//! it with pulldown-cmark, events and offsets, on all cores, as designgate's
//! full parse does before it builds its document (same options); prints the
//! number of files, bytes and events. `--read-only` reads without parsing.
//!
//! A yardstick for issue 13: a pack whose rules read prose cannot cost less
//! than this, whatever it does with the events.

use std::path::{Path, PathBuf};

use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut dir, mut read_only) = (None, false);
    for arg in args.by_ref() {
        match arg.as_str() {
            "--read-only" => read_only = true,
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: designgate-parse-floor [--read-only] DIR");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    walk(&dir, &mut files)?;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let (bytes, events) = files
        .par_iter()
        .map(|path| -> std::io::Result<(usize, usize)> {
            let text = std::fs::read(path)?;
            let text = String::from_utf8_lossy(&text);
            let events = if read_only {
                0
            } else {
                Parser::new_ext(&text, options).into_offset_iter().count()
            };
            Ok((text.len(), events))
        })
        .try_reduce(|| (0, 0), |a, b| Ok((a.0 + b.0, a.1 + b.1)))?;
    println!("{} files, {bytes} bytes, {events} events", files.len());
    Ok(())
}
