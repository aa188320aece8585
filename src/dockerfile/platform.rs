//! The platform a build targets and the eight automatic platform `ARG`s BuildKit derives from
//! it (`TARGETPLATFORM`, `TARGETOS`, `TARGETARCH`, `TARGETVARIANT`, and the same four
//! `BUILD*` for the machine that builds).
//!
//! A platform is read as `docker build --platform` reads it, with containerd's
//! `platforms.Parse` followed by `platforms.Normalize` (BuildKit normalises what it is given):
//! `linux/arm64/v8` is `linux/arm64`, `linux/arm` is `linux/arm/v7`, `x86_64` is `amd64`, a
//! lone architecture (`arm64`) is a Linux one, and a lone OS (`linux`) takes the host's
//! architecture. Without `--platform` the target is the host: a Docker daemon builds Linux
//! images even on macOS and Windows, so the host platform is `linux/<this machine's arch>`.

use std::fmt;

/// An OCI platform, normalised: `os/arch[/variant]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    os: String,
    arch: String,
    /// Empty when the architecture has none (or its default one, for `arm64`).
    variant: String,
}

/// Why a `--platform` value is not one platform.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlatformError {
    #[error("invalid platform {0:?}: expected os/arch[/variant], e.g. linux/amd64")]
    Malformed(String),
    #[error("invalid platform {0:?}: unknown operating system or architecture")]
    Unknown(String),
    #[error(
        "platform list {0:?}: a multi-platform build is one build per platform; run ctxsize \
         once per platform"
    )]
    List(String),
}

/// Operating systems Go knows (containerd accepts a lone OS only from this list).
const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

/// Architectures Go knows (containerd accepts a lone architecture only from this list).
const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "arm64",
    "arm64be",
    "armbe",
    "loong64",
    "mips",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "mipsle",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

impl Platform {
    /// The platform `docker build` targets without `--platform`: Linux on this machine's
    /// architecture.
    pub fn host() -> Platform {
        let (arch, variant) = host_arch();
        let (arch, variant) = normalize_arch(arch, variant);
        Platform { os: "linux".to_owned(), arch, variant }
    }

    /// Reads one `--platform` value (`linux/amd64`, `linux/arm/v7`, `arm64`, `linux`).
    pub fn parse(spec: &str) -> Result<Platform, PlatformError> {
        if spec.contains(',') {
            return Err(PlatformError::List(spec.to_owned()));
        }
        let parts: Vec<&str> = spec.split('/').collect();
        // containerd's component syntax: letters, digits, `_` and `-`.
        let valid = |part: &&str| {
            !part.is_empty()
                && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        };
        if parts.len() > 3 || !parts.iter().all(valid) {
            return Err(PlatformError::Malformed(spec.to_owned()));
        }
        let platform = match parts.as_slice() {
            [one] => {
                let os = normalize_os(one);
                let (arch, variant) = normalize_arch(one, "");
                if KNOWN_OS.contains(&os.as_str()) {
                    Platform { os, ..Platform::host() }
                } else if KNOWN_ARCH.contains(&arch.as_str()) {
                    Platform { os: "linux".to_owned(), arch, variant }
                } else {
                    return Err(PlatformError::Unknown(spec.to_owned()));
                }
            }
            [os, arch] => {
                let (arch, variant) = normalize_arch(arch, "");
                Platform { os: normalize_os(os), arch, variant }
            }
            [os, arch, variant] => {
                let (arch, variant) = normalize_arch(arch, variant);
                Platform { os: normalize_os(os), arch, variant }
            }
            _ => unreachable!("one to three parts, checked above"),
        };
        Ok(platform)
    }

    /// `TARGETOS`/`BUILDOS`: `linux`.
    pub fn os(&self) -> &str {
        &self.os
    }

    /// `TARGETARCH`/`BUILDARCH`, Go's name: `amd64`, `arm64`, `arm`.
    pub fn arch(&self) -> &str {
        &self.arch
    }

    /// `TARGETVARIANT`/`BUILDVARIANT`: `v7` for 32-bit ARM, usually empty.
    pub fn variant(&self) -> &str {
        &self.variant
    }
}

/// `TARGETPLATFORM`/`BUILDPLATFORM`, as containerd's `platforms.Format`: `linux/arm/v7`.
impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.arch)?;
        if !self.variant.is_empty() {
            write!(f, "/{}", self.variant)?;
        }
        Ok(())
    }
}

/// The names of the automatic platform `ARG`s, in the order [`automatic_args`] gives them.
pub const AUTOMATIC_ARGS: [&str; 8] = [
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// The automatic platform `ARG`s of a build for `target` on `build` (BuildKit's
/// `getPlatformArgs`), as (name, value).
pub fn automatic_args(target: &Platform, build: &Platform) -> [(&'static str, String); 8] {
    let values = [
        target.to_string(),
        target.os.clone(),
        target.arch.clone(),
        target.variant.clone(),
        build.to_string(),
        build.os.clone(),
        build.arch.clone(),
        build.variant.clone(),
    ];
    let mut values = values.into_iter();
    AUTOMATIC_ARGS.map(|name| (name, values.next().expect("eight values")))
}

/// containerd's `normalizeOS`.
fn normalize_os(os: &str) -> String {
    match os.to_ascii_lowercase().as_str() {
        "macos" => "darwin".to_owned(),
        other => other.to_owned(),
    }
}

/// containerd's `normalizeArch` followed by `Normalize`'s defaults: Go names, `arm` without a
/// variant is `arm/v7`, and `arm64/v8` is plain `arm64`.
fn normalize_arch(arch: &str, variant: &str) -> (String, String) {
    let arch = arch.to_ascii_lowercase();
    let variant = variant.to_ascii_lowercase();
    let (arch, variant) = match (arch.as_str(), variant.as_str()) {
        ("i386", _) => ("386", ""),
        ("x86_64" | "x86-64" | "amd64", "v1") => ("amd64", ""),
        ("x86_64" | "x86-64" | "amd64", variant) => ("amd64", variant),
        ("aarch64" | "arm64", "8" | "v8" | "v8.0") => ("arm64", ""),
        ("aarch64" | "arm64", "9" | "9.0" | "v9.0") => ("arm64", "v9"),
        ("aarch64" | "arm64", variant) => ("arm64", variant),
        ("armhf", _) => ("arm", "v7"),
        ("armel", _) => ("arm", "v6"),
        ("arm", "" | "7") => ("arm", "v7"),
        ("arm", "5") => ("arm", "v5"),
        ("arm", "6") => ("arm", "v6"),
        ("arm", "8") => ("arm", "v8"),
        (arch, variant) => (arch, variant),
    };
    (arch.to_owned(), variant.to_owned())
}

/// This machine's architecture in Go's terms (Rust's names differ: `x86_64`, `aarch64`), and
/// its variant. 32-bit ARM is taken as v7, the common case, where BuildKit reads
/// `/proc/cpuinfo`.
fn host_arch() -> (&'static str, &'static str) {
    match std::env::consts::ARCH {
        "x86_64" => ("amd64", ""),
        "x86" => ("386", ""),
        "aarch64" => ("arm64", ""),
        "arm" => ("arm", "v7"),
        "powerpc64" if cfg!(target_endian = "little") => ("ppc64le", ""),
        "powerpc64" => ("ppc64", ""),
        "loongarch64" => ("loong64", ""),
        // s390x, riscv64, mips64 and others have the same name in Go.
        other => (other, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(spec: &str) -> String {
        Platform::parse(spec).map(|p| p.to_string()).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn full_platforms_are_normalised() {
        assert_eq!(shown("linux/amd64"), "linux/amd64");
        assert_eq!(shown("linux/arm64"), "linux/arm64");
        assert_eq!(shown("linux/arm64/v8"), "linux/arm64");
        assert_eq!(shown("linux/aarch64"), "linux/arm64");
        assert_eq!(shown("linux/arm/v7"), "linux/arm/v7");
        assert_eq!(shown("linux/arm"), "linux/arm/v7");
        assert_eq!(shown("linux/arm/v6"), "linux/arm/v6");
        assert_eq!(shown("linux/armhf"), "linux/arm/v7");
        assert_eq!(shown("Linux/X86_64"), "linux/amd64");
        assert_eq!(shown("linux/i386"), "linux/386");
        assert_eq!(shown("linux/ppc64le"), "linux/ppc64le");
        assert_eq!(shown("windows/amd64"), "windows/amd64");
    }

    #[test]
    fn a_lone_architecture_is_linux_and_a_lone_os_runs_on_the_host_arch() {
        assert_eq!(shown("arm64"), "linux/arm64");
        assert_eq!(shown("amd64"), "linux/amd64");
        assert_eq!(shown("armhf"), "linux/arm/v7");
        let host = Platform::host();
        assert_eq!(Platform::parse("linux").unwrap(), host);
        assert_eq!(
            shown("bogus"),
            "invalid platform \"bogus\": unknown operating system or architecture"
        );
    }

    #[test]
    fn malformed_values_and_lists_are_refused() {
        for bad in ["", "/", "linux/", "bogus/x/y/z", "linux/amd64 ", "linux/*", "linux//amd64"] {
            assert!(matches!(Platform::parse(bad), Err(PlatformError::Malformed(_))), "{bad:?}");
        }
        assert_eq!(
            Platform::parse("linux/amd64,linux/arm64"),
            Err(PlatformError::List("linux/amd64,linux/arm64".to_owned()))
        );
    }

    #[test]
    fn the_host_is_linux_with_go_names() {
        let host = Platform::host();
        assert_eq!(host.os(), "linux");
        assert!(KNOWN_ARCH.contains(&host.arch()), "{host}");
        if cfg!(target_arch = "x86_64") {
            assert_eq!(host.to_string(), "linux/amd64");
        }
        if cfg!(target_arch = "aarch64") {
            assert_eq!(host.to_string(), "linux/arm64");
        }
    }

    #[test]
    fn eight_automatic_args() {
        let target = Platform::parse("linux/arm/v7").unwrap();
        let build = Platform::parse("linux/amd64").unwrap();
        let args = automatic_args(&target, &build);
        assert_eq!(
            args.map(|(name, value)| format!("{name}={value}")),
            [
                "TARGETPLATFORM=linux/arm/v7",
                "TARGETOS=linux",
                "TARGETARCH=arm",
                "TARGETVARIANT=v7",
                "BUILDPLATFORM=linux/amd64",
                "BUILDOS=linux",
                "BUILDARCH=amd64",
                "BUILDVARIANT=",
            ]
        );
    }

    #[test]
    fn known_tables_are_sorted() {
        assert!(KNOWN_OS.is_sorted() && KNOWN_ARCH.is_sorted());
    }
}
