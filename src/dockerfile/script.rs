//! A `RUN` script cut into simple commands, each a list of words, as far as telling which
//! programs run needs: a POSIX-shell reading of quotes, escapes, comments and the operators
//! that separate commands (`;`, `&&`, `||`, `|`, `&`, newlines, `(`, `)` and backquotes).
//!
//! It is no shell: nothing is expanded, redirections stay as words, and a quoted string is
//! one word, never commands (`echo "go build"` runs `echo`). `sh -c SCRIPT` is for the
//! caller to open ([`shell_script`]).

/// The simple commands of `script`, in order; each has at least one word.
pub(crate) fn simple_commands(script: &str) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                let word = word.get_or_insert_with(String::new);
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    word.push(c);
                }
            }
            '"' => {
                let word = word.get_or_insert_with(String::new);
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        // In double quotes a backslash escapes only these.
                        '\\' if matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) => {
                            word.extend(chars.next());
                        }
                        '\\' if chars.peek() == Some(&'\n') => {
                            chars.next();
                        }
                        c => word.push(c),
                    }
                }
            }
            '\\' => match chars.next() {
                // A line continuation joins the lines.
                Some('\n') | None => {}
                Some(escaped) => word.get_or_insert_with(String::new).push(escaped),
            },
            '#' if word.is_none() => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                end_command(&mut commands, &mut words, &mut word);
            }
            ';' | '&' | '|' | '(' | ')' | '`' | '\n' => {
                end_command(&mut commands, &mut words, &mut word);
            }
            c if c.is_whitespace() => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    end_command(&mut commands, &mut words, &mut word);
    commands
}

fn end_command(
    commands: &mut Vec<Vec<String>>,
    words: &mut Vec<String>,
    word: &mut Option<String>,
) {
    words.extend(word.take());
    if !words.is_empty() {
        commands.push(std::mem::take(words));
    }
}

/// Shells whose `-c` takes a script.
const SHELLS: &[&str] = &["ash", "bash", "dash", "ksh", "sh", "zsh"];

/// The script `sh -c SCRIPT` (or `bash -ec SCRIPT`, `/bin/sh -c`…) runs, when `words` is
/// such a command.
pub(crate) fn shell_script(words: &[String]) -> Option<&str> {
    let (program, args) = words.split_first()?;
    if !SHELLS.contains(&program_name(program)) {
        return None;
    }
    // The script is the first operand after an option cluster holding `c` (`-c`, `-ec`);
    // `-o NAME` and `+o NAME` take an operand of their own.
    let mut takes_script = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "-o" || arg == "+o" {
            args.next();
        } else if arg.starts_with("--") || arg.starts_with('+') {
            continue;
        } else if let Some(cluster) = arg.strip_prefix('-') {
            takes_script |= cluster.contains('c');
        } else {
            return takes_script.then_some(arg.as_str());
        }
    }
    None
}

/// Whether `words` runs a shell (so here-documents it reads are scripts).
pub(crate) fn is_shell(words: &[String]) -> bool {
    words.first().is_some_and(|program| SHELLS.contains(&program_name(program)))
}

/// Whether a here-document runs as a shell script: it has no `#!` line, or one naming a
/// shell (`#!/bin/sh`, `#!/usr/bin/env bash`).
pub(crate) fn is_shell_script(body: &str) -> bool {
    let Some(shebang) = body.strip_prefix("#!") else { return true };
    let words: Vec<&str> = shebang.lines().next().unwrap_or("").split_whitespace().collect();
    let program = match words.as_slice() {
        [env, program, ..] if program_name(env) == "env" => program,
        [program, ..] => program,
        [] => return false,
    };
    SHELLS.contains(&program_name(program))
}

/// The program's name without its directory: `/usr/local/go/bin/go` is `go`, `./mvnw` is
/// `mvnw`.
pub(crate) fn program_name(word: &str) -> &str {
    crate::rules::path::name(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commands(script: &str) -> Vec<String> {
        simple_commands(script).iter().map(|words| words.join(" ")).collect()
    }

    #[test]
    fn operators_separate_commands() {
        assert_eq!(
            commands("cd /app && npm ci; npm run build || exit 1 | tee log & wait"),
            ["cd /app", "npm ci", "npm run build", "exit 1", "tee log", "wait"]
        );
        assert_eq!(commands("(cd web && yarn build)\nls"), ["cd web", "yarn build", "ls"]);
        assert_eq!(commands("echo `go env GOPATH`"), ["echo", "go env GOPATH"]);
    }

    #[test]
    fn quotes_make_one_word_and_continuations_join_lines() {
        assert_eq!(simple_commands("echo \"go build\" 'a b'"), [["echo", "go build", "a b"]]);
        assert_eq!(simple_commands("go \\\n  build ./..."), [["go", "build", "./..."]]);
        assert_eq!(simple_commands("a\\ b \"x\\\"y\""), [["a b", "x\"y"]]);
        assert_eq!(commands("npm ci # then npm run build\ngo build"), ["npm ci", "go build"]);
        assert_eq!(simple_commands("''"), [[""]], "an empty quoted word is a word");
    }

    #[test]
    fn shell_scripts_are_found() {
        let words = |line: &str| simple_commands(line).remove(0);
        assert_eq!(shell_script(&words("sh -c 'npm run build'")), Some("npm run build"));
        assert_eq!(shell_script(&words("/bin/bash -ec \"go build\"")), Some("go build"));
        assert_eq!(shell_script(&words("bash -o pipefail -c 'x'")), Some("x"));
        assert_eq!(shell_script(&words("sh script.sh")), None);
        assert_eq!(shell_script(&words("go build")), None);
    }
}
