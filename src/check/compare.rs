//! A build held against its baseline: how much more (or less) it sends than when the
//! baseline was recorded, whether that is within `--max-growth`, and where the growth is.

use serde::Serialize;

use super::baseline::{BuildRecord, ViewRecord};
use super::deny::DenyItem;
use super::growth::{MaxGrowth, percent_change};
use super::{View, Violation, ViolationKind};
use crate::numbers::size;
use crate::raw_path::RawPath;
use crate::scan::categories::{Categorizer, Category};

/// How many grown directories a comparison names.
const GREW_MOST: usize = 5;

/// A directory whose growth is mostly one of its subdirectories' is not named beside it:
/// the subdirectory says more. "Mostly" is at least this share, in percent.
const EXPLAINED_BY_CHILD: i128 = 80;

/// The comparison of one build with its baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The baseline file, as named.
    pub file: RawPath,
    pub status: Status,
    /// The view compared: the one `check` judges.
    pub view: View,
    /// What the baseline recorded, and what is measured now (files, bytes).
    pub before: Option<Sizes>,
    pub after: Sizes,
    /// `after - before` in bytes (negative for a shrink).
    pub growth: i64,
    /// The growth as a signed percentage of the baseline (`+18.0%`).
    pub change: String,
    /// The limit (`10%`, `5 MB`) and the bytes it allows; `None` without `--max-growth`.
    pub max_growth: Option<String>,
    pub allowance: Option<u64>,
    /// Grew by more than the allowance: the check fails.
    pub over: bool,
    /// The directories that grew most, each with the category it hands down.
    pub grew_most: Vec<DirectoryGrowth>,
    /// Categories whose bytes changed, largest growth first.
    pub categories: Vec<CategoryChange>,
    /// The ignore file's content differs from the recorded one (or one appeared or went).
    pub ignore_file_changed: bool,
}

/// What a comparison found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Grew,
    Shrank,
    Unchanged,
    /// The baseline has no record of this build (or none of this view): nothing to compare.
    NotRecorded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sizes {
    pub files: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectoryGrowth {
    pub path: RawPath,
    /// Bytes gained (a directory the baseline did not list counts from zero).
    pub bytes: i64,
    pub category: Option<Category>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CategoryChange {
    pub category: Category,
    pub before: u64,
    pub after: u64,
    /// Nothing of it shipped in the baseline.
    pub new: bool,
    /// `check` denies it (it fails whatever the baseline says).
    pub denied: bool,
}

/// What a comparison needs besides the two records.
pub struct CompareWith<'a> {
    /// The baseline file, as named.
    pub file: RawPath,
    pub max_growth: Option<&'a MaxGrowth>,
    pub deny: &'a [DenyItem],
    pub categorizer: &'a Categorizer,
}

impl Comparison {
    /// Compares the view `check` judges of `now` with the baseline's record of the build.
    pub fn new(
        recorded: Option<&BuildRecord>,
        now: &BuildRecord,
        view: View,
        with: &CompareWith<'_>,
    ) -> Comparison {
        let pick = |record: &BuildRecord| match view {
            View::Transfer => record.transfer.clone(),
            View::Context => Some(record.context.clone()),
        };
        let after = pick(now).unwrap_or_else(|| now.context.clone());
        let before = recorded.and_then(pick);
        let sizes = |v: &ViewRecord| Sizes { files: v.files, bytes: v.bytes };
        let ignore_file_changed = recorded.is_some_and(|recorded| {
            let digest = |r: &BuildRecord| r.ignore_file.as_ref().map(|f| f.sha256.clone());
            digest(recorded) != digest(now)
        });
        let mut comparison = Comparison {
            file: with.file.clone(),
            status: Status::NotRecorded,
            view,
            before: before.as_ref().map(sizes),
            after: sizes(&after),
            growth: 0,
            change: String::new(),
            max_growth: with.max_growth.map(MaxGrowth::describe),
            allowance: None,
            over: false,
            grew_most: Vec::new(),
            categories: Vec::new(),
            ignore_file_changed,
        };
        if let Some(before) = before {
            comparison.measure(&before, &after, with);
        }
        comparison
    }

    fn measure(&mut self, before: &ViewRecord, after: &ViewRecord, with: &CompareWith<'_>) {
        self.growth = signed(after.bytes) - signed(before.bytes);
        self.change = percent_change(before.bytes, after.bytes);
        self.status = match self.growth {
            0 => Status::Unchanged,
            g if g > 0 => Status::Grew,
            _ => Status::Shrank,
        };
        self.allowance = with.max_growth.map(|limit| limit.allowance(before.bytes));
        self.over = self.allowance.is_some_and(|allowed| self.growth > signed(allowed));
        self.grew_most = grew_most(before, after, with.categorizer);
        self.categories = category_changes(before, after, with.deny);
    }

    /// The violation a growth over the allowance makes, naming the growth and the limit;
    /// renderers add where the growth is ([`Comparison::grew_most_sentence`]).
    pub fn violation(&self) -> Option<Violation> {
        if !self.over {
            return None;
        }
        let before = self.before.map_or(0, |b| b.bytes);
        let message = format!(
            "{} grew by {} ({}) to {} since the baseline {}, over the allowed {} ({} of {})",
            self.view.subject(),
            size(self.growth.unsigned_abs()),
            self.change,
            size(self.after.bytes),
            crate::escape::escape_path(self.file.as_bytes()),
            size(self.allowance.unwrap_or(0)),
            self.max_growth.as_deref().unwrap_or("0"),
            size(before),
        );
        Some(Violation {
            kind: ViolationKind::MaxGrowth,
            message,
            path: None,
            line: None,
            // The sentence gives the sizes: before, after and the allowance.
            bytes: None,
        })
    }

    /// `+48 MB services/api/node_modules (dependencies), +3 MB logs (logs)`.
    pub fn grew_most_sentence(&self) -> Option<String> {
        let parts: Vec<String> = self.grew_most.iter().map(DirectoryGrowth::line).collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

impl DirectoryGrowth {
    /// `+48 MB  services/api/node_modules (dependencies)`, the path escaped for a terminal.
    pub fn line(&self) -> String {
        let path = crate::escape::escape_path(self.path.as_bytes());
        match self.category {
            Some(category) => {
                format!("+{} {path} ({})", size(self.bytes.unsigned_abs()), category.label())
            }
            None => format!("+{} {path}", size(self.bytes.unsigned_abs())),
        }
    }
}

fn signed(bytes: u64) -> i64 {
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

/// The directories that grew, without those whose growth one subdirectory explains, the
/// largest growth first.
fn grew_most(
    before: &ViewRecord,
    after: &ViewRecord,
    categorizer: &Categorizer,
) -> Vec<DirectoryGrowth> {
    let recorded = |path: &RawPath| {
        before.directories.iter().find(|d| &d.path == path).map_or(0, |d| signed(d.bytes))
    };
    let grown: Vec<(&RawPath, i64)> = after
        .directories
        .iter()
        .map(|d| (&d.path, signed(d.bytes) - recorded(&d.path)))
        .filter(|&(_, growth)| growth > 0)
        .collect();
    let explained = |path: &RawPath, growth: i64| {
        grown.iter().any(|&(other, other_growth)| {
            crate::rules::path::is_below(other.as_bytes(), path.as_bytes())
                && i128::from(other_growth) * 100 >= i128::from(growth) * EXPLAINED_BY_CHILD
        })
    };
    let mut most: Vec<DirectoryGrowth> = grown
        .iter()
        .filter(|&&(path, growth)| !explained(path, growth))
        .map(|&(path, growth)| DirectoryGrowth {
            path: path.clone(),
            bytes: growth,
            category: categorizer.directory_category(path.as_bytes()),
        })
        .collect();
    most.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
    most.truncate(GREW_MOST);
    most
}

/// Every category whose bytes changed, the largest growth first.
fn category_changes(
    before: &ViewRecord,
    after: &ViewRecord,
    deny: &[DenyItem],
) -> Vec<CategoryChange> {
    let bytes_in = |view: &ViewRecord, category: Category| {
        view.categories.iter().find(|c| c.category == category).map(|c| c.bytes)
    };
    let mut changes: Vec<CategoryChange> = Category::ALL
        .into_iter()
        .filter_map(|category| {
            let (was, is) = (bytes_in(before, category), bytes_in(after, category));
            let change = CategoryChange {
                category,
                before: was.unwrap_or(0),
                after: is.unwrap_or(0),
                new: was.is_none() && is.is_some(),
                denied: deny.iter().any(|item| item.category() == Some(category)),
            };
            (change.before != change.after || change.new).then_some(change)
        })
        .collect();
    let growth = |c: &CategoryChange| signed(c.after) - signed(c.before);
    changes.sort_by(|a, b| growth(b).cmp(&growth(a)).then_with(|| a.category.cmp(&b.category)));
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::baseline::{CategoryRecord, DirectoryRecord};
    use crate::check::growth::GrowthLimit;

    fn view(bytes: u64, dirs: &[(&str, u64)], categories: &[(Category, u64)]) -> ViewRecord {
        ViewRecord {
            files: 10,
            bytes,
            categories: categories
                .iter()
                .map(|&(category, bytes)| CategoryRecord { category, files: 1, bytes })
                .collect(),
            directories_below: 1,
            directories: dirs
                .iter()
                .map(|&(path, bytes)| DirectoryRecord {
                    path: RawPath::from(path),
                    files: 1,
                    bytes,
                })
                .collect(),
        }
    }

    fn record(view: ViewRecord) -> BuildRecord {
        BuildRecord { name: "b".into(), ignore_file: None, transfer: None, context: view }
    }

    fn compare(before: ViewRecord, after: ViewRecord, limit: Option<GrowthLimit>) -> Comparison {
        let categorizer = Categorizer::new();
        let max = limit.map(|l| MaxGrowth(vec![l]));
        let with = CompareWith {
            file: RawPath::from("base.json"),
            max_growth: max.as_ref(),
            deny: &[DenyItem::Secrets],
            categorizer: &categorizer,
        };
        Comparison::new(Some(&record(before)), &record(after), View::Context, &with)
    }

    #[test]
    fn growth_over_the_allowance_names_the_deepest_directory_that_explains_it() {
        let before =
            view(100_000_000, &[("services", 60_000_000), ("services/api", 50_000_000)], &[]);
        let after = view(
            150_000_000,
            &[
                ("services", 110_000_000),
                ("services/api", 100_000_000),
                ("services/api/node_modules", 48_000_000),
                ("services/web", 10_000_000),
            ],
            &[(Category::Dependencies, 48_000_000)],
        );
        let comparison = compare(before, after, Some(GrowthLimit::Share(1000)));
        assert_eq!(comparison.status, Status::Grew);
        assert!(comparison.over);
        assert_eq!(comparison.growth, 50_000_000);
        assert_eq!(comparison.change, "+50.0%");
        assert_eq!(comparison.allowance, Some(10_000_000));
        // `services` and `services/api` grew by what `node_modules` explains.
        let most: Vec<String> = comparison.grew_most.iter().map(DirectoryGrowth::line).collect();
        assert_eq!(
            most,
            ["+48 MB services/api/node_modules (dependencies)", "+10 MB services/web"]
        );
        let violation = comparison.violation().expect("over");
        assert_eq!(violation.kind, ViolationKind::MaxGrowth);
        assert!(
            violation.message.contains("grew by 50 MB (+50.0%) to 150 MB"),
            "{}",
            violation.message
        );
        assert!(violation.message.contains("over the allowed 10 MB (10% of 100 MB)"));
        let change = comparison.categories[0];
        assert_eq!(
            (change.category, change.new, change.denied),
            (Category::Dependencies, true, false)
        );
    }

    #[test]
    fn growth_within_the_allowance_or_a_shrink_passes() {
        let within =
            compare(view(100, &[], &[]), view(110, &[], &[]), Some(GrowthLimit::Share(1000)));
        assert_eq!((within.status, within.over), (Status::Grew, false));
        assert!(within.violation().is_none());
        let over =
            compare(view(100, &[], &[]), view(111, &[], &[]), Some(GrowthLimit::Share(1000)));
        assert!(over.over);
        let shrank = compare(view(100, &[], &[]), view(60, &[], &[]), Some(GrowthLimit::Bytes(0)));
        assert_eq!((shrank.status, shrank.over, shrank.growth), (Status::Shrank, false, -40));
        let unlimited = compare(view(100, &[], &[]), view(1000, &[], &[]), None);
        assert_eq!((unlimited.status, unlimited.over), (Status::Grew, false));
    }

    #[test]
    fn a_build_the_baseline_does_not_know_is_not_recorded() {
        let categorizer = Categorizer::new();
        let with = CompareWith {
            file: RawPath::from("b.json"),
            max_growth: None,
            deny: &[],
            categorizer: &categorizer,
        };
        let now = record(view(5, &[], &[]));
        let comparison = Comparison::new(None, &now, View::Context, &with);
        assert_eq!(comparison.status, Status::NotRecorded);
        assert_eq!(comparison.before, None);
        // A transfer the baseline did not record (no Dockerfile then) is not compared either.
        let transfer = Comparison::new(Some(&now), &now, View::Transfer, &with);
        assert_eq!(transfer.status, Status::NotRecorded);
    }
}
