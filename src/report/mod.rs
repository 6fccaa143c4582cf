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

/// Makes text from a document safe to print on a terminal: C0 control
/// characters (escape, bell, carriage return…) become their Unicode control
/// pictures (`␛`, `␇`, `␍`), DEL becomes `␡`, other control characters `�`,
/// and a tab a space. Each character maps to exactly one, so columns and
/// carets stay aligned.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| match c {
            '\t' => ' ',
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect::<String>()
        .into()
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(sanitize("a\u{1b}[31mb\r\u{7}\tc\u{7f}"), "a␛[31mb␍␇ c␡");
        assert_eq!(sanitize("\u{9b}2J"), "\u{fffd}2J");
    }
}
