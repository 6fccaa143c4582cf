//! Stage 5: report. Renders data to a writer: one module per format, colour
//! only through [`Palette`]. Nothing here decides the exit code.

pub mod human;
pub mod json;

use owo_colors::{OwoColorize, Style};

use crate::pack::Severity;

/// Whether and how to colour human output. Resolved once, in `main`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Palette {
    enabled: bool,
}

impl Palette {
    pub fn new(enabled: bool) -> Self {
        Palette { enabled }
    }

    fn paint(&self, text: &str, style: Style) -> String {
        if self.enabled {
            text.style(style).to_string()
        } else {
            text.to_owned()
        }
    }

    pub fn severity(&self, severity: Severity, text: &str) -> String {
        let style = match severity {
            Severity::Error => Style::new().red().bold(),
            Severity::Warning => Style::new().yellow().bold(),
            Severity::Info => Style::new().cyan().bold(),
            Severity::Off => Style::new().dimmed(),
        };
        self.paint(text, style)
    }

    pub fn gutter(&self, text: &str) -> String {
        self.paint(text, Style::new().blue().bold())
    }

    pub fn strong(&self, text: &str) -> String {
        self.paint(text, Style::new().bold())
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint(text, Style::new().dimmed())
    }
}

/// Makes text from a document safe to print on a terminal: every control
/// character (escape sequences, carriage returns, bells…) becomes `\u{…}`,
/// tabs become a space.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(sanitize("a\u{1b}[31mb\r\u{7}\tc"), "a\\u{1b}[31mb\\u{d}\\u{7} c");
        assert_eq!(sanitize("\u{9b}2J"), "\\u{9b}2J");
    }
}
