//! Colours: decided once per run, applied only when on.

use crate::cli::ColorWhen;

/// Whether to colour a stream, decided once.
pub fn use_color(when: ColorWhen, stream_is_terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            stream_is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// ANSI styles, applied only when colour is on.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub enabled: bool,
}

impl Style {
    pub fn paint(self, code: &str, text: &str) -> String {
        if self.enabled { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
    }
    pub fn green(self, text: &str) -> String {
        self.paint("32", text)
    }
    pub fn red(self, text: &str) -> String {
        self.paint("31", text)
    }
    pub fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }
    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
}
