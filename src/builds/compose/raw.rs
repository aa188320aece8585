//! The shape of the part of a Compose file that names builds, as serde reads it: every
//! other key is ignored, and every string keeps its place in the file for errors.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

#[derive(Deserialize)]
pub(super) struct RawFile {
    pub services: Option<BTreeMap<String, RawService>>,
    pub include: Option<Vec<Spanned<Include>>>,
}

impl RawFile {
    /// Marks every string as coming from the `file`th file read, for errors once files
    /// are merged.
    pub fn set_file(&mut self, file: usize) {
        for service in self.services.iter_mut().flat_map(BTreeMap::values_mut) {
            service.file = file;
            if let Some(build) = &mut service.build {
                match &mut build.value {
                    RawBuild::Short(dir) => dir.file = file,
                    RawBuild::Long(long) => long.set_file(file),
                }
            }
        }
        for entry in self.include.iter_mut().flatten() {
            entry.value.file = file;
            entry.value.paths.iter_mut().for_each(|path| path.file = file);
        }
    }

    /// `later` over `self`, as `docker compose -f self -f later` merges them: a service in
    /// both has its keys merged (the later's win), includes add up.
    pub fn merge(mut self, later: RawFile) -> RawFile {
        let services = self.services.get_or_insert_default();
        for (name, service) in later.services.unwrap_or_default() {
            let merged = match services.remove(&name) {
                Some(earlier) => service.over(earlier),
                None => service,
            };
            services.insert(name, merged);
        }
        self.include.get_or_insert_default().extend(later.include.unwrap_or_default());
        self
    }
}

/// One `include:` entry: `FILE`, or `{ path: FILE or [FILE, …], project_directory, env_file }`.
pub(super) struct Include {
    pub paths: Vec<Text>,
    /// `project_directory` or `env_file` is set: they change how the file is read.
    pub options: bool,
    /// The file (in the order read) that names it.
    pub file: usize,
}

#[derive(Deserialize)]
struct LongInclude {
    path: OneOrMany,
    project_directory: Option<IgnoredAny>,
    env_file: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(Text),
    Many(Vec<Text>),
}

impl<'de> Deserialize<'de> for Include {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IncludeVisitor)
    }
}

struct IncludeVisitor;

impl<'de> Visitor<'de> for IncludeVisitor {
    type Value = Include;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Compose file's path or a mapping with `path`")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Include, E> {
        Ok(Include { paths: vec![Text::new(v)], options: false, file: 0 })
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Include, A::Error> {
        let long = LongInclude::deserialize(de::value::MapAccessDeserializer::new(map))?;
        let paths = match long.path {
            OneOrMany::One(path) => vec![path],
            OneOrMany::Many(paths) => paths,
        };
        let options = long.project_directory.is_some() || long.env_file.is_some();
        Ok(Include { paths, options, file: 0 })
    }
}

#[derive(Deserialize)]
pub(super) struct RawService {
    pub build: Option<Spanned<RawBuild>>,
    pub image: Option<IgnoredAny>,
    pub extends: Option<Spanned<Extends>>,
    /// The file (in the order read) that `extends` comes from.
    #[serde(skip)]
    pub file: usize,
}

impl RawService {
    /// `self` over `earlier`: each key set here wins; builds merge key by key.
    fn over(self, earlier: RawService) -> RawService {
        let build = match (self.build, earlier.build) {
            (Some(own), Some(base)) => {
                let merged = LongBuild::from_build(&own).over(LongBuild::from_build(&base));
                Some(Spanned::new(RawBuild::Long(Box::new(merged)), own.referenced, own.defined))
            }
            (own, base) => own.or(base),
        };
        let file = if self.extends.is_some() { self.file } else { earlier.file };
        RawService {
            build,
            image: self.image.or(earlier.image),
            extends: self.extends.or(earlier.extends),
            file,
        }
    }
}

/// `build: DIR` or `build: { context, dockerfile, … }`.
#[derive(Clone)]
pub(super) enum RawBuild {
    Short(Text),
    Long(Box<LongBuild>),
}

#[derive(Clone, Default, Deserialize)]
pub(super) struct LongBuild {
    pub context: Option<Spanned<Text>>,
    pub dockerfile: Option<Spanned<Text>>,
    pub dockerfile_inline: Option<Spanned<Text>>,
    pub target: Option<Spanned<Text>>,
    pub args: Option<Spanned<RawArgs>>,
    pub additional_contexts: Option<IgnoredAny>,
    /// The arguments of the services this one extends, outermost first: they come before
    /// its own, so its own win.
    #[serde(skip)]
    pub base_args: Vec<Spanned<RawArgs>>,
}

impl LongBuild {
    /// The long form of either form; the short form's string is the context.
    pub fn from_build(build: &Spanned<RawBuild>) -> LongBuild {
        match &build.value {
            RawBuild::Short(dir) => LongBuild {
                context: Some(Spanned::new(dir.clone(), build.referenced, build.defined)),
                ..LongBuild::default()
            },
            RawBuild::Long(long) => (**long).clone(),
        }
    }

    fn set_file(&mut self, file: usize) {
        let texts = [&mut self.context, &mut self.dockerfile, &mut self.dockerfile_inline];
        for text in texts.into_iter().chain([&mut self.target]).flatten() {
            text.value.file = file;
        }
        match self.args.as_mut().map(|args| &mut args.value) {
            Some(RawArgs::Map(map)) => map.values_mut().flatten().for_each(|v| v.value.file = file),
            Some(RawArgs::List(list)) => list.iter_mut().for_each(|v| v.value.file = file),
            None => {}
        }
    }

    /// `self` over `base`, as Compose merges an extended service's build: each key set
    /// here wins, and the arguments add up.
    pub fn over(self, base: LongBuild) -> LongBuild {
        let mut base_args = base.base_args;
        base_args.extend(base.args);
        base_args.extend(self.base_args);
        LongBuild {
            context: self.context.or(base.context),
            dockerfile: self.dockerfile.or(base.dockerfile),
            dockerfile_inline: self.dockerfile_inline.or(base.dockerfile_inline),
            target: self.target.or(base.target),
            args: self.args,
            additional_contexts: self.additional_contexts.or(base.additional_contexts),
            base_args,
        }
    }
}

/// `args:` as a map (`NAME: value`, a null value meaning "from the environment") or as a
/// list of `NAME=VALUE` and bare `NAME`.
#[derive(Clone)]
pub(super) enum RawArgs {
    Map(BTreeMap<String, Option<Spanned<Text>>>),
    List(Vec<Spanned<Text>>),
}

/// `extends: SERVICE` or `extends: { service: SERVICE, file: FILE }`.
#[derive(Clone)]
pub(super) struct Extends {
    pub service: String,
    pub file: Option<IgnoredAny>,
}

/// A scalar read as text: Compose takes `3`, `true` or `1.5` where it wants a string.
#[derive(Clone)]
pub(super) struct Text {
    pub text: String,
    /// The file (in the order read) it comes from.
    pub file: usize,
}

impl Text {
    fn new(text: &str) -> Text {
        Text { text: text.to_owned(), file: 0 }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor).map(|text| Text { text, file: 0 })
    }
}

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

impl<'de> Deserialize<'de> for RawBuild {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BuildVisitor)
    }
}

struct BuildVisitor;

impl<'de> Visitor<'de> for BuildVisitor {
    type Value = RawBuild;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a context directory or a mapping with `context`, `dockerfile`, …")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawBuild, E> {
        Ok(RawBuild::Short(Text::new(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawBuild, A::Error> {
        LongBuild::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(|long| RawBuild::Long(Box::new(long)))
    }
}

impl<'de> Deserialize<'de> for RawArgs {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ArgsVisitor)
    }
}

struct ArgsVisitor;

impl<'de> Visitor<'de> for ArgsVisitor {
    type Value = RawArgs;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping of NAME: value or a list of NAME=value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawArgs, A::Error> {
        Deserialize::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawArgs::Map)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawArgs, A::Error> {
        Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(RawArgs::List)
    }
}

impl<'de> Deserialize<'de> for Extends {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ExtendsVisitor)
    }
}

struct ExtendsVisitor;

#[derive(Deserialize)]
struct LongExtends {
    service: String,
    file: Option<IgnoredAny>,
}

impl<'de> Visitor<'de> for ExtendsVisitor {
    type Value = Extends;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a service name or a mapping with `service` (and `file`)")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Extends, E> {
        Ok(Extends { service: v.to_owned(), file: None })
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Extends, A::Error> {
        let long = LongExtends::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Extends { service: long.service, file: long.file })
    }
}
