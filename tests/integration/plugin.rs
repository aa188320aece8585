//! ctxsize as a Docker CLI plugin: the metadata Docker reads, the binary run through a
//! `docker-ctxsize` link the way Docker runs it, and `install-docker-plugin`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::env::{Run, TestEnv};

const BINARY: &str = env!("CARGO_BIN_EXE_ctxsize");

/// A `docker-ctxsize` link to the binary, in a directory of its own outside the context.
fn plugin_link(env: &TestEnv) -> PathBuf {
    let dir = env.outer().join("plugins");
    fs::create_dir_all(&dir).unwrap();
    let link = dir.join("docker-ctxsize");
    std::os::unix::fs::symlink(BINARY, &link).unwrap();
    link
}

/// Runs the plugin as Docker does: its name first, then the user's arguments.
fn run_plugin(env: &TestEnv, link: &Path, args: &[&str]) -> Run {
    Command::new(link)
        .args(args)
        .current_dir(env.root())
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .output()
        .expect("run docker-ctxsize")
        .into()
}

/// Runs `ctxsize install-docker-plugin ARGS` with `home` as HOME and no DOCKER_CONFIG.
fn install(env: &TestEnv, home: &Path, args: &[&str]) -> Run {
    env.command(["install-docker-plugin"].iter().chain(args))
        .env("HOME", home)
        .env_remove("DOCKER_CONFIG")
        .output()
        .expect("run ctxsize")
        .into()
}

#[test]
fn metadata_is_the_json_docker_reads() {
    let env = TestEnv::new();
    let link = plugin_link(&env);
    let run = run_plugin(&env, &link, &["docker-cli-plugin-metadata"]);
    run.expect_code(0);
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).expect("metadata is JSON");
    assert_eq!(json["SchemaVersion"], "0.1.0");
    assert_eq!(json["Version"], env!("CARGO_PKG_VERSION"));
    for field in ["Vendor", "ShortDescription", "URL"] {
        assert!(json[field].as_str().is_some_and(|text| !text.is_empty()), "{field}: {json}");
    }
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn the_plugin_runs_what_ctxsize_runs() {
    let env = TestEnv::new();
    env.sized("src/main.rs", 120)
        .sized("node_modules/a/index.js", 3000)
        .file(".dockerignore", "node_modules\n");
    let link = plugin_link(&env);
    let direct = env.run(["scan", "--json", "."]);
    direct.expect_code(0);
    let plugin = run_plugin(&env, &link, &["ctxsize", "scan", "--json", "."]);
    plugin.expect_code(0);
    assert_eq!(plugin.stdout(), direct.stdout());
}

#[test]
fn the_plugin_names_itself_docker_ctxsize_in_help_and_usage_errors() {
    let env = TestEnv::new();
    let link = plugin_link(&env);
    let help = run_plugin(&env, &link, &["ctxsize", "scan", "--help"]);
    help.expect_code(0);
    assert!(help.stdout().contains("Usage: docker ctxsize scan"), "{}", help.stdout());
    let error = run_plugin(&env, &link, &["ctxsize", "scan", "--no-such-flag"]);
    error.expect_code(2);
    assert!(error.stderr.contains("Usage: docker ctxsize scan"), "{}", error.stderr);
    // Run as ctxsize, the same binary keeps its own name.
    let direct = env.run(["scan", "--no-such-flag"]);
    direct.expect_code(2);
    assert!(direct.stderr.contains("Usage: ctxsize scan"), "{}", direct.stderr);
}

#[test]
fn install_links_the_binary_into_home_and_says_so_the_second_time() {
    let env = TestEnv::new();
    let home = env.outer().join("home");
    install(&env, &home, &[]).expect_code(0);
    let plugin = home.join(".docker/cli-plugins/docker-ctxsize");
    let target = fs::read_link(&plugin).expect("a symlink");
    assert_eq!(fs::canonicalize(target).unwrap(), fs::canonicalize(BINARY).unwrap());
    let again = install(&env, &home, &[]);
    again.expect_code(0);
    assert!(again.stderr.contains("already installed"), "{}", again.stderr);
}

#[test]
fn install_follows_docker_config() {
    let env = TestEnv::new();
    let home = env.outer().join("home");
    let config = env.outer().join("docker-config");
    env.command(["install-docker-plugin"])
        .env("HOME", &home)
        .env("DOCKER_CONFIG", &config)
        .output()
        .map(Run::from)
        .unwrap()
        .expect_code(0);
    assert!(fs::read_link(config.join("cli-plugins/docker-ctxsize")).is_ok());
    assert!(!home.exists());
}

#[test]
fn install_never_overwrites_another_file_without_force() {
    let env = TestEnv::new();
    let home = env.outer().join("home");
    let plugin = home.join(".docker/cli-plugins/docker-ctxsize");
    fs::create_dir_all(plugin.parent().unwrap()).unwrap();
    fs::write(&plugin, "#!/bin/sh\necho another plugin\n").unwrap();
    let refused = install(&env, &home, &[]);
    refused.expect_code(2);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert_eq!(fs::read_to_string(&plugin).unwrap(), "#!/bin/sh\necho another plugin\n");
    install(&env, &home, &["--force"]).expect_code(0);
    let target = fs::read_link(&plugin).expect("replaced by a symlink");
    assert_eq!(fs::canonicalize(target).unwrap(), fs::canonicalize(BINARY).unwrap());
}

#[test]
fn install_into_a_chosen_directory_and_as_a_copy() {
    let env = TestEnv::new();
    let home = env.outer().join("home");
    let dir = env.outer().join("plugins/nested");
    install(&env, &home, &["--dir", dir.to_str().unwrap()]).expect_code(0);
    assert!(fs::read_link(dir.join("docker-ctxsize")).is_ok());
    assert!(!home.exists(), "--dir leaves HOME alone");

    // A copy is a different file from a link: replacing the link needs --force.
    install(&env, &home, &["--dir", dir.to_str().unwrap(), "--copy"]).expect_code(2);
    install(&env, &home, &["--dir", dir.to_str().unwrap(), "--copy", "--force"]).expect_code(0);
    let copy = dir.join("docker-ctxsize");
    assert!(fs::symlink_metadata(&copy).unwrap().file_type().is_file());
    assert_eq!(fs::read(&copy).unwrap(), fs::read(BINARY).unwrap());
    let again = install(&env, &home, &["--dir", dir.to_str().unwrap(), "--copy"]);
    again.expect_code(0);
    assert!(again.stderr.contains("already installed"), "{}", again.stderr);

    // The copy is a working plugin.
    let metadata = run_plugin(&env, &copy, &["docker-cli-plugin-metadata"]);
    metadata.expect_code(0);
    assert!(metadata.stdout().contains("\"SchemaVersion\":\"0.1.0\""));

    // The installed copy asked to install itself as a link leaves itself in place rather
    // than become a link to itself.
    let itself = run_plugin(
        &env,
        &copy,
        &["install-docker-plugin", "--dir", dir.to_str().unwrap(), "--force"],
    );
    itself.expect_code(0);
    assert!(itself.stderr.contains("already installed"), "{}", itself.stderr);
    assert!(fs::symlink_metadata(&copy).unwrap().file_type().is_file());
}

#[test]
fn install_into_a_directory_that_cannot_be_made_fails_clearly() {
    let env = TestEnv::new();
    let blocker = env.outer().join("a-file");
    fs::write(&blocker, "").unwrap();
    let run =
        install(&env, &env.outer().join("home"), &["--dir", blocker.join("sub").to_str().unwrap()]);
    run.expect_code(2);
    assert!(run.stderr.contains("a-file/sub"), "{}", run.stderr);
}
