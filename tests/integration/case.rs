//! Parser and materializer for the conformance `.case` format.
//!
//! The format is documented in `fixtures/conformance/FORMAT.md`. In short: a title line
//! `# ...`, then sections introduced by `--- NAME` lines: `file PATH`,
//! `file PATH (no final newline)`, `file-json PATH`, `dockerfile PATH`, `tree` and `expect`.
//!
//! The parser is deliberately strict: anything the format does not describe is an error with a
//! line number, so that a malformed fixture fails loudly instead of silently testing something
//! else.

#![cfg(unix)]

use std::fs;
use std::io::Write;
use std::os::unix::fs::symlink;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};

/// One parsed `.case` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The first line, without its leading `# `.
    pub title: String,
    /// `file` / `file-json` sections in order: (path relative to the context, exact content).
    pub files: Vec<(String, Vec<u8>)>,
    /// The `dockerfile` section: the `-f` path relative to the context (may start with `../`).
    pub dockerfile: Option<String>,
    /// The `tree` section entries in order.
    pub tree: Vec<TreeEntry>,
    /// The `expect` section.
    pub expect: Expect,
}

/// One line of a `tree` section. Paths are relative to the context (may start with `../`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeEntry {
    /// `f SIZE PATH`: a regular file of SIZE bytes, all `x`.
    File { path: String, size: u64 },
    /// `d PATH`: a directory.
    Dir { path: String },
    /// `l PATH TARGET`: a symbolic link whose target is the literal TARGET.
    Symlink { path: String, target: String },
    /// `s PATH`: a unix-domain socket.
    Socket { path: String },
}

/// The `expect` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// `TYPE SIZE PATH` lines, verbatim (blank lines skipped). Empty: nothing ships.
    Listing(Vec<String>),
    /// `ERROR <reason>`: the reason is informational only.
    Error(String),
}

const NO_FINAL_NEWLINE: &str = " (no final newline)";

/// A line of the case file with its 1-based line number.
type Line<'a> = (usize, &'a str);

impl Case {
    /// Reads and parses a `.case` file; errors name the file.
    pub fn load(path: &Path) -> Result<Case, String> {
        let bytes = fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let text =
            String::from_utf8(bytes).map_err(|e| format!("{}: not UTF-8: {e}", path.display()))?;
        Case::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses the text of a `.case` file. Errors carry a 1-based line number.
    pub fn parse(text: &str) -> Result<Case, String> {
        // Lines are `\n`-terminated; a missing final newline still ends the last line.
        let lines: Vec<&str> = text.split_terminator('\n').collect();

        let title_line = lines.first().ok_or("empty case file")?;
        if title_line.ends_with('\r') {
            return Err("line 1: CR at end of line (CRLF line endings? case files use LF)".into());
        }
        let title = title_line
            .strip_prefix("# ")
            .ok_or("line 1: the first line must be `# <what the case tests>`")?
            .to_string();

        // Split into sections: (line number of the header, header text after `--- `, body).
        let mut sections: Vec<(usize, &str, Vec<Line>)> = Vec::new();
        for (idx, &line) in lines.iter().enumerate().skip(1) {
            let no = idx + 1;
            if let Some(header) = line.strip_prefix("--- ") {
                sections.push((no, header, Vec::new()));
            } else if let Some((_, _, body)) = sections.last_mut() {
                body.push((no, line));
            } else if !is_blank(line) {
                return Err(format!(
                    "line {no}: text before the first `--- SECTION` line: {line:?}"
                ));
            }
        }

        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut dockerfile: Option<String> = None;
        let mut tree: Option<Vec<TreeEntry>> = None;
        let mut expect: Option<Expect> = None;

        for (no, header, body) in sections {
            let (name, rest) = match header.split_once(' ') {
                Some((name, rest)) => (name, Some(rest)),
                None => (header, None),
            };
            // Only `expect` lines may carry a CR (they are verbatim paths); anywhere else a CR
            // means the file was mangled (CRLF) or needs `file-json`.
            if name != "expect" {
                for &(lno, line) in std::iter::once(&(no, header)).chain(body.iter()) {
                    if line.contains('\r') {
                        return Err(format!(
                            "line {lno}: CR in the line (CRLF line endings? use file-json for a CR)"
                        ));
                    }
                }
            }
            let ctx = |e: String| format!("line {no}: `--- {header}`: {e}");
            match (name, rest) {
                ("file", Some(rest)) => {
                    let (path, no_final_newline) = header_path(rest, true).map_err(ctx)?;
                    let mut body: Vec<&str> = body.iter().map(|&(_, l)| l).collect();
                    while body.last().is_some_and(|l| is_blank(l)) {
                        body.pop();
                    }
                    let mut content = Vec::new();
                    for line in &body {
                        content.extend_from_slice(line.as_bytes());
                        content.push(b'\n');
                    }
                    if no_final_newline {
                        content.pop();
                    }
                    add_file(&mut files, path, content).map_err(ctx)?;
                }
                ("file-json", Some(rest)) => {
                    let (path, _) = header_path(rest, false).map_err(ctx)?;
                    let mut body = body.clone();
                    while body.last().is_some_and(|&(_, l)| is_blank(l)) {
                        body.pop();
                    }
                    let [(lno, line)] = body[..] else {
                        return Err(ctx(format!(
                            "expected exactly one line (a JSON string), found {}",
                            body.len()
                        )));
                    };
                    let content = decode_json_string(line)
                        .map_err(|e| format!("line {lno}: file-json content: {e}"))?;
                    add_file(&mut files, path, content.into_bytes()).map_err(ctx)?;
                }
                ("dockerfile", Some(rest)) => {
                    let (path, _) = header_path(rest, false).map_err(ctx)?;
                    if let Some(&(lno, line)) = body.iter().find(|&&(_, l)| !is_blank(l)) {
                        return Err(format!(
                            "line {lno}: a dockerfile section has no body, found {line:?}"
                        ));
                    }
                    if dockerfile.replace(path).is_some() {
                        return Err(ctx("more than one dockerfile section".into()));
                    }
                }
                ("tree", None) => {
                    let mut entries = Vec::new();
                    for &(lno, line) in &body {
                        if is_blank(line) || line.starts_with('#') {
                            continue;
                        }
                        entries.push(
                            parse_tree_line(line)
                                .map_err(|e| format!("line {lno}: tree entry {line:?}: {e}"))?,
                        );
                    }
                    if tree.replace(entries).is_some() {
                        return Err(ctx("more than one tree section".into()));
                    }
                }
                ("expect", None) => {
                    let parsed = parse_expect(&body)?;
                    if expect.replace(parsed).is_some() {
                        return Err(ctx("more than one expect section".into()));
                    }
                }
                ("file" | "file-json" | "dockerfile", None) => {
                    return Err(ctx("missing PATH".into()));
                }
                ("tree" | "expect", Some(_)) => {
                    return Err(ctx("this section takes no argument".into()));
                }
                _ => return Err(ctx(format!("unknown section {name:?}"))),
            }
        }

        Ok(Case {
            title,
            files,
            dockerfile,
            tree: tree.unwrap_or_default(),
            expect: expect.ok_or("no `--- expect` section")?,
        })
    }
}

/// A blank line: empty or only spaces and tabs.
fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ' || b == b'\t')
}

fn add_file(
    files: &mut Vec<(String, Vec<u8>)>,
    path: String,
    content: Vec<u8>,
) -> Result<(), String> {
    if files.iter().any(|(p, _)| same_path(p, &path)) {
        return Err(format!("file {path:?} is written by two sections"));
    }
    files.push((path, content));
    Ok(())
}

/// Parses the PATH of a section header: a JSON string or the rest of the line. With
/// `allow_no_final_newline`, a ` (no final newline)` suffix is recognised and reported.
fn header_path(rest: &str, allow_no_final_newline: bool) -> Result<(String, bool), String> {
    let (path, suffix) = if rest.starts_with('"') {
        let (path, after) = decode_json_string_prefix(rest)?;
        (path, after)
    } else if allow_no_final_newline && let Some(p) = rest.strip_suffix(NO_FINAL_NEWLINE) {
        (p.to_string(), NO_FINAL_NEWLINE)
    } else {
        (rest.to_string(), "")
    };
    let no_final_newline = match suffix {
        "" => false,
        NO_FINAL_NEWLINE if allow_no_final_newline => true,
        other => return Err(format!("unexpected text after the path: {other:?}")),
    };
    check_path(&path)?;
    Ok((path, no_final_newline))
}

/// Checks a case path: relative, non-empty, `..` only as a single leading `../`.
fn check_path(path: &str) -> Result<(), String> {
    let inner = path.strip_prefix("../").unwrap_or(path);
    if inner.is_empty() || inner == "." {
        return Err(format!("empty path {path:?}"));
    }
    if inner.starts_with('/') {
        return Err(format!("absolute path {path:?}"));
    }
    if path.contains('\n') || path.contains('\0') {
        return Err(format!("path {path:?} contains a newline or NUL"));
    }
    if inner.split('/').any(|seg| seg == "..") {
        return Err(format!("path {path:?}: `..` is only allowed as one leading `../`"));
    }
    Ok(())
}

/// Two case paths naming the same file (`./a` and `a`, `a//b` and `a/b`).
fn same_path(a: &str, b: &str) -> bool {
    let norm = |p: &str| {
        Path::new(p)
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .map(|c| c.as_os_str().to_owned())
            .collect::<Vec<_>>()
    };
    norm(a) == norm(b)
}

/// Splits a tree line into tokens: bare tokens (no blanks, not starting with `"`) or JSON
/// strings, separated by spaces or tabs.
fn tree_tokens(line: &str) -> Result<Vec<String>, String> {
    let is_sep = |c: char| c == ' ' || c == '\t';
    let mut tokens = Vec::new();
    let mut rest = line.trim_start_matches(is_sep);
    while !rest.is_empty() {
        let after = if rest.starts_with('"') {
            let (token, after) = decode_json_string_prefix(rest)?;
            if !after.is_empty() && !after.starts_with(is_sep) {
                return Err(format!("text glued to a JSON string: {after:?}"));
            }
            tokens.push(token);
            after
        } else {
            let end = rest.find(is_sep).unwrap_or(rest.len());
            tokens.push(rest[..end].to_string());
            &rest[end..]
        };
        rest = after.trim_start_matches(is_sep);
    }
    Ok(tokens)
}

fn parse_tree_line(line: &str) -> Result<TreeEntry, String> {
    let tokens = tree_tokens(line)?;
    let kind = tokens.first().map(String::as_str).unwrap_or("");
    let want = match kind {
        "f" | "l" => 3,
        "d" | "s" => 2,
        _ => return Err(format!("unknown entry type {kind:?} (want f, d, l or s)")),
    };
    if tokens.len() != want {
        return Err(format!("`{kind}` takes {} operand(s), found {}", want - 1, tokens.len() - 1));
    }
    let path = tokens[if kind == "f" { 2 } else { 1 }].clone();
    check_path(&path)?;
    Ok(match kind {
        "f" => TreeEntry::File { size: parse_size(&tokens[1])?, path },
        "d" => TreeEntry::Dir { path },
        "l" => {
            let target = tokens[2].clone();
            if target.is_empty() || target.contains('\0') {
                return Err(format!("bad symlink target {target:?}"));
            }
            TreeEntry::Symlink { path, target }
        }
        _ => TreeEntry::Socket { path },
    })
}

fn parse_size(s: &str) -> Result<u64, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("bad SIZE {s:?}"));
    }
    s.parse().map_err(|e| format!("bad SIZE {s:?}: {e}"))
}

fn parse_expect(body: &[Line]) -> Result<Expect, String> {
    let lines: Vec<Line> = body.iter().copied().filter(|&(_, l)| !is_blank(l)).collect();
    if let Some(&(no, first)) = lines.first()
        && (first == "ERROR" || first.starts_with("ERROR "))
    {
        if lines.len() != 1 {
            return Err(format!(
                "line {no}: an ERROR expect section must have exactly one line, found {}",
                lines.len()
            ));
        }
        let reason = first.strip_prefix("ERROR").unwrap_or_default().trim_start();
        return Ok(Expect::Error(reason.to_string()));
    }
    let mut out = Vec::with_capacity(lines.len());
    for (no, line) in lines {
        let mut parts = line.splitn(3, ' ');
        let (kind, size, path) = (parts.next(), parts.next(), parts.next());
        let ok = match (kind, size, path) {
            (Some("f" | "l"), Some(size), Some(path)) => {
                parse_size(size).is_ok() && !path.is_empty()
            }
            (Some("d"), Some("0"), Some(path)) => !path.is_empty(),
            _ => false,
        };
        if !ok {
            return Err(format!(
                "line {no}: expect line {line:?} is not `f|l SIZE PATH`, `d 0 PATH` or `ERROR ...`"
            ));
        }
        out.push(line.to_string());
    }
    Ok(Expect::Listing(out))
}

/// Decodes a whole JSON string (nothing may follow the closing quote).
pub fn decode_json_string(s: &str) -> Result<String, String> {
    let (value, rest) = decode_json_string_prefix(s)?;
    if !rest.is_empty() {
        return Err(format!("text after the JSON string: {rest:?}"));
    }
    Ok(value)
}

/// Decodes the JSON string at the start of `s` (which must start with `"`); returns the value
/// and what follows the closing quote. Handles `\" \\ \/ \b \f \n \r \t \uXXXX` including
/// surrogate pairs; rejects lone surrogates, unknown escapes and raw control characters.
pub fn decode_json_string_prefix(s: &str) -> Result<(String, &str), String> {
    let mut chars = s.char_indices();
    if !matches!(chars.next(), Some((_, '"'))) {
        return Err(format!("expected a JSON string, found {s:?}"));
    }
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &s[i + 1..])),
            '\\' => {
                let (_, esc) = chars.next().ok_or("unterminated JSON string")?;
                let decoded = match esc {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' => {
                        let hi = hex4(&mut chars)?;
                        let code = match hi {
                            0xD800..=0xDBFF => {
                                let next = (chars.next(), chars.next());
                                if !matches!(next, (Some((_, '\\')), Some((_, 'u')))) {
                                    return Err(format!(
                                        "high surrogate \\u{hi:04X} not followed by \\uXXXX"
                                    ));
                                }
                                let lo = hex4(&mut chars)?;
                                if !(0xDC00..=0xDFFF).contains(&lo) {
                                    return Err(format!(
                                        "high surrogate \\u{hi:04X} followed by \\u{lo:04X}, \
                                         not a low surrogate"
                                    ));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            }
                            0xDC00..=0xDFFF => {
                                return Err(format!("lone low surrogate \\u{hi:04X}"));
                            }
                            _ => hi,
                        };
                        char::from_u32(code).ok_or(format!("bad code point U+{code:X}"))?
                    }
                    other => return Err(format!("unknown escape \\{other}")),
                };
                out.push(decoded);
            }
            c if (c as u32) < 0x20 => {
                return Err(format!("raw control character {c:?} in a JSON string"));
            }
            c => out.push(c),
        }
    }
    Err("unterminated JSON string".into())
}

fn hex4(chars: &mut std::str::CharIndices<'_>) -> Result<u32, String> {
    let mut value = 0;
    for _ in 0..4 {
        let (_, c) = chars.next().ok_or("truncated \\uXXXX escape")?;
        let digit = c.to_digit(16).ok_or(format!("bad hex digit {c:?} in \\uXXXX escape"))?;
        value = value * 16 + digit;
    }
    Ok(value)
}

/// Where a case path lands: `root/ctx/PATH`, or `root/NAME` for `../NAME`.
pub fn resolve(root: &Path, path: &str) -> PathBuf {
    match path.strip_prefix("../") {
        Some(beside) => root.join(beside),
        None => root.join("ctx").join(path),
    }
}

/// Creates `root/ctx` and everything the case describes under it (and beside it for `../NAME`):
/// first the `file` / `file-json` sections, then the `tree` entries in order. `root` must exist
/// and must not contain `ctx` yet.
pub fn materialize(case: &Case, root: &Path) -> Result<(), String> {
    let ctx = root.join("ctx");
    fs::create_dir(&ctx).map_err(|e| format!("create {}: {e}", ctx.display()))?;

    for (path, content) in &case.files {
        let dest = resolve(root, path);
        create_parent(&dest)?;
        fs::write(&dest, content).map_err(|e| format!("write {}: {e}", dest.display()))?;
    }

    for entry in &case.tree {
        match entry {
            TreeEntry::File { path, size } => {
                // A file written by a `file` section wins over a tree `f` line.
                if case.files.iter().any(|(p, _)| same_path(p, path)) {
                    continue;
                }
                let dest = resolve(root, path);
                create_parent(&dest)?;
                write_x_file(&dest, *size).map_err(|e| format!("write {}: {e}", dest.display()))?;
            }
            TreeEntry::Dir { path } => {
                let dest = resolve(root, path);
                fs::create_dir_all(&dest)
                    .map_err(|e| format!("create dir {}: {e}", dest.display()))?;
            }
            TreeEntry::Symlink { path, target } => {
                let dest = resolve(root, path);
                create_parent(&dest)?;
                symlink(target, &dest)
                    .map_err(|e| format!("symlink {} -> {target:?}: {e}", dest.display()))?;
            }
            TreeEntry::Socket { path } => {
                let dest = resolve(root, path);
                create_parent(&dest)?;
                // Dropping the listener closes it; the socket file stays.
                let listener = UnixListener::bind(&dest).map_err(|e| {
                    format!(
                        "bind unix socket {} ({} bytes; the limit is about 107): {e}",
                        dest.display(),
                        dest.as_os_str().len()
                    )
                })?;
                drop(listener);
            }
        }
    }
    Ok(())
}

fn create_parent(dest: &Path) -> Result<(), String> {
    match dest.parent() {
        Some(parent) => {
            fs::create_dir_all(parent).map_err(|e| format!("create dir {}: {e}", parent.display()))
        }
        None => Ok(()),
    }
}

/// Writes a new file of `size` bytes of `x` (fails if something already exists there).
fn write_x_file(dest: &Path, size: u64) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).create_new(true).open(dest)?;
    let chunk = [b'x'; 64 * 1024];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        file.write_all(&chunk[..n])?;
        left -= n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::FileTypeExt;

    fn parse(text: &str) -> Case {
        Case::parse(text).unwrap_or_else(|e| panic!("parse failed: {e}\n{text}"))
    }

    fn file<'a>(case: &'a Case, path: &str) -> &'a [u8] {
        case.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, c)| c.as_slice())
            .unwrap_or_else(|| panic!("no file {path:?} in {:?}", case.files))
    }

    #[test]
    fn parser_tree_json_paths() {
        let case = parse(concat!(
            "# t\n",
            "--- tree\n",
            "# a comment\n",
            "\n",
            "f 4 \"a # b\"\n",
            "f 3 \"a\\\\b\"\n",
            "f 1 #a\n",
            "d \"dir with space\"\n",
            "l \"my link\" \"../../x y\"\n",
            "l to-abs /etc/hostname\n",
            "s \"\\ufeffsock\"\n",
            "f 2 ../Dockerfile\n",
            "--- expect\n",
        ));
        assert_eq!(
            case.tree,
            vec![
                TreeEntry::File { path: "a # b".into(), size: 4 },
                TreeEntry::File { path: "a\\b".into(), size: 3 },
                TreeEntry::File { path: "#a".into(), size: 1 },
                TreeEntry::Dir { path: "dir with space".into() },
                TreeEntry::Symlink { path: "my link".into(), target: "../../x y".into() },
                TreeEntry::Symlink { path: "to-abs".into(), target: "/etc/hostname".into() },
                TreeEntry::Socket { path: "\u{feff}sock".into() },
                TreeEntry::File { path: "../Dockerfile".into(), size: 2 },
            ]
        );
        assert_eq!(case.expect, Expect::Listing(vec![]));
        assert_eq!(case.title, "t");
    }

    #[test]
    fn parser_no_final_newline() {
        let case = parse(concat!(
            "# t\n",
            "--- file .dockerignore (no final newline)\n",
            "a\n",
            "b\n",
            "--- file \"x (no final newline)\"\n",
            "c\n",
            "--- file \"e y\" (no final newline)\n",
            "--- tree\n",
            "--- expect\n",
        ));
        assert_eq!(file(&case, ".dockerignore"), b"a\nb");
        assert_eq!(file(&case, "x (no final newline)"), b"c\n");
        assert_eq!(file(&case, "e y"), b"");
    }

    #[test]
    fn parser_file_json_escapes() {
        let case = parse(concat!(
            "# t\n",
            "--- file-json .dockerignore\n",
            r#""a\tb\r\n\u00e9\ud83d\ude00\/\"\\\b\f""#,
            "\n",
            "--- expect\n",
        ));
        assert_eq!(
            file(&case, ".dockerignore"),
            "a\tb\r\n\u{e9}\u{1F600}/\"\\\u{8}\u{c}".as_bytes()
        );
    }

    #[test]
    fn parser_drops_trailing_blank_lines_only() {
        let case = parse(concat!(
            "# t\n",
            "--- file a\n",
            "x\n",
            "\n",
            "y\n",
            "\n",
            "\n",
            "--- file empty\n",
            "--- file blank-only\n",
            "\n",
            "--- file last\n",
            "z\n",
            "\n",
            "--- expect\n",
            "f 1 a\n",
            "d 0 my dir \n",
        ));
        assert_eq!(file(&case, "a"), b"x\n\ny\n");
        assert_eq!(file(&case, "empty"), b"");
        assert_eq!(file(&case, "blank-only"), b"");
        assert_eq!(file(&case, "last"), b"z\n");
        assert_eq!(case.expect, Expect::Listing(vec!["f 1 a".into(), "d 0 my dir ".into()]));
    }

    #[test]
    fn parser_header_paths_and_dockerfile() {
        let case = parse(concat!(
            "# t\n",
            "--- file my file.txt\n",
            "a\n",
            "--- file ../Dockerfile.dockerignore\n",
            "b\n",
            "--- dockerfile ../Dockerfile\n",
            "--- tree\n",
            "--- expect\n",
            "ERROR some reason: with colons\n",
        ));
        assert_eq!(file(&case, "my file.txt"), b"a\n");
        assert_eq!(file(&case, "../Dockerfile.dockerignore"), b"b\n");
        assert_eq!(case.dockerfile.as_deref(), Some("../Dockerfile"));
        assert_eq!(case.expect, Expect::Error("some reason: with colons".into()));
    }

    #[test]
    fn json_decoder_rejects_bad_input() {
        assert_eq!(decode_json_string(r#""\u0041\u00DF""#).unwrap(), "A\u{df}");
        for bad in [
            r#""abc"#,
            r#""\x""#,
            r#""\ud83d""#,
            r#""\ud83dx""#,
            r#""\ude00""#,
            r#""\u12g4""#,
            "\"a\tb\"",
            r#""a" "#,
            "abc",
        ] {
            assert!(decode_json_string(bad).is_err(), "{bad:?} should not decode");
        }
        assert_eq!(
            decode_json_string_prefix(r#""a\"b" rest"#).unwrap(),
            ("a\"b".to_string(), " rest")
        );
    }

    #[test]
    fn parser_rejects_malformed_cases() {
        for (bad, why) in [
            ("--- expect\n", "no title"),
            ("# t\n--- tree\n", "no expect"),
            ("# t\n--- bogus\n--- expect\n", "unknown section"),
            ("# t\n--- expect\n--- expect\n", "two expects"),
            ("# t\n--- expect\nERROR x\nf 1 a\n", "ERROR plus lines"),
            ("# t\n--- expect\nx 1 a\n", "bad expect type"),
            ("# t\n--- expect\nd 1 a\n", "dir with a size"),
            ("# t\n--- tree\nf x a\n--- expect\n", "bad size"),
            ("# t\n--- tree\nf 1\n--- expect\n", "missing path"),
            ("# t\n--- tree\nd a b\n--- expect\n", "extra token"),
            ("# t\n--- tree\n # c\n--- expect\n", "indented comment"),
            ("# t\n--- tree\nf 1 a/../b\n--- expect\n", "dotdot inside"),
            ("# t\n--- tree\nf 1 ../../b\n--- expect\n", "two levels up"),
            ("# t\n--- tree\nf 1 /abs\n--- expect\n", "absolute"),
            ("# t\n--- file a\n--- file ./a\n--- expect\n", "same file twice"),
            ("# t\n--- file-json a\n\"x\"\n\"y\"\n--- expect\n", "two json lines"),
            ("# t\n--- dockerfile D\nbody\n--- expect\n", "dockerfile body"),
            ("# t\r\n--- expect\r\n", "CRLF"),
            ("# t\nstray\n--- expect\n", "text before sections"),
        ] {
            assert!(Case::parse(bad).is_err(), "{why}: {bad:?} should not parse");
        }
    }

    #[test]
    fn materializer_builds_the_tree() {
        let case = parse(concat!(
            "# t\n",
            "--- file a\n",
            "from-file\n",
            "--- file ../outside\n",
            "o\n",
            "--- tree\n",
            "f 5 a\n",
            "f 3 \"sub dir/\\u00fc*[\\\\\"\n",
            "d empty/deeper\n",
            "l link ../../nowhere\n",
            "s sock\n",
            "--- expect\n",
        ));
        let tmp = tempfile::TempDir::new().unwrap();
        materialize(&case, tmp.path()).unwrap();
        let ctx = tmp.path().join("ctx");
        assert_eq!(fs::read(ctx.join("a")).unwrap(), b"from-file\n");
        assert_eq!(fs::read(tmp.path().join("outside")).unwrap(), b"o\n");
        assert_eq!(fs::read(ctx.join("sub dir/\u{fc}*[\\")).unwrap(), b"xxx");
        assert!(ctx.join("empty/deeper").is_dir());
        assert_eq!(fs::read_link(ctx.join("link")).unwrap(), Path::new("../../nowhere"));
        let sock = fs::symlink_metadata(ctx.join("sock")).unwrap();
        assert!(sock.file_type().is_socket());
    }
}
