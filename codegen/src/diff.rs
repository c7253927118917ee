//! Two specs compared through their IR, as a user of the generated crate meets the difference:
//! each change is classified as breaking (code that compiled may stop compiling, or behave
//! differently), compatible (given how the crate is built: `#[non_exhaustive]` structs with
//! `new(required..)`, enums with an `Unknown` fallback, optional parameters in `Options`
//! structs), or documentation only. The report is Markdown, grouped by tag, and ends with the
//! version bump it calls for. Renames are not detected; where a removal and an addition look
//! alike, a note says so.

use std::fmt::Write as _;

use indexmap::IndexMap;

use crate::ir::{Api, Field, Group, Operation, Parameter, RequestBody, Success, TypeDef, TypeKind};
use crate::surface::type_text;

/// What a change means for the crate's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled may no longer compile, or may behave differently.
    Breaking,
    /// New API; existing code keeps compiling and behaving the same.
    Compatible,
    /// Only documentation changed.
    Documentation,
}

/// One change, under a heading (a tag's group, or "Types").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The heading it is reported under.
    pub section: String,
    /// Its impact.
    pub impact: Impact,
    /// What changed, in a sentence of Markdown.
    pub text: String,
}

/// Every change between two APIs, and notes about removals that look like renames.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes, in section order (groups as the new spec orders them, then types).
    pub changes: Vec<Change>,
    /// Removals and additions that look alike.
    pub notes: Vec<String>,
}

impl Report {
    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.impact == Impact::Breaking)
    }

    fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact == impact).count()
    }

    /// The version the changes call for after `current` (`0.1.0`): in 0.x, the minor number
    /// carries breaking changes and the patch number everything else.
    pub fn next_version(&self, current: &str) -> Option<String> {
        let mut parts = current.split('.').map(|p| p.parse::<u64>().ok());
        let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next()??);
        let worst = self.changes.iter().map(|c| c.impact).min()?;
        Some(match (major, worst) {
            (0, Impact::Breaking) => format!("0.{}.0", minor + 1),
            (0, _) => format!("0.{minor}.{}", patch + 1),
            (_, Impact::Breaking) => format!("{}.0.0", major + 1),
            (_, Impact::Compatible) => format!("{major}.{}.0", minor + 1),
            (_, Impact::Documentation) => format!("{major}.{minor}.{}", patch + 1),
        })
    }

    /// The report as Markdown. `version` is the crate's current version, for the suggested bump.
    pub fn to_markdown(&self, old: &str, new: &str, version: Option<&str>) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "# API changes: `{old}` → `{new}`\n");
        let (b, c, d) =
            (self.count(Impact::Breaking), self.count(Impact::Compatible), self.count(Impact::Documentation));
        let _ = writeln!(o, "{b} breaking, {c} compatible, {d} documentation only.");
        let mut sections: IndexMap<&str, Vec<&Change>> = IndexMap::new();
        for change in &self.changes {
            sections.entry(change.section.as_str()).or_default().push(change);
        }
        for (section, mut changes) in sections {
            changes.sort_by_key(|c| c.impact);
            let _ = writeln!(o, "\n## {section}\n");
            for change in changes {
                let tag = match change.impact {
                    Impact::Breaking => "**breaking**",
                    Impact::Compatible => "compatible",
                    Impact::Documentation => "docs",
                };
                let _ = writeln!(o, "- {tag}: {}", change.text);
            }
        }
        if !self.notes.is_empty() {
            let _ = writeln!(o, "\n## Notes\n");
            for note in &self.notes {
                let _ = writeln!(o, "- {note}");
            }
        }
        let verdict = match (self.changes.is_empty(), self.is_breaking()) {
            (true, _) => "no change for users of the crate: no release needed".to_string(),
            (false, true) => "breaking".to_string(),
            (false, false) if c > 0 => "compatible".to_string(),
            (false, false) => "documentation only".to_string(),
        };
        let bump = version.and_then(|v| self.next_version(v).map(|next| format!(": {v} → {next}")));
        let _ = writeln!(o, "\n**Suggested version bump{}** ({verdict}).", bump.unwrap_or_default());
        o
    }
}

/// Compares two APIs.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut d = Differ { old, new, report: Report::default() };
    d.operations(old, new);
    d.types(old, new);
    d.api(old, new);
    d.report
}

/// Both APIs, and the report so far. Types are compared by how they read (`type_text`), never by
/// their ids, which are each API's own.
struct Differ<'a> {
    old: &'a Api,
    new: &'a Api,
    report: Report,
}

/// `client.jobs().get()`.
fn call(group: &Group, op: &Operation) -> String {
    format!("`client.{}().{}()`", group.module, op.rust_name.bare())
}

fn endpoint(op: &Operation) -> String {
    format!("`{} {}`", op.method, op.path)
}

fn section(group: &Group) -> String {
    format!("{} (`client.{}()`)", group.tag, group.module)
}

fn ops(api: &Api) -> IndexMap<&str, (&Group, &Operation)> {
    api.groups.iter().flat_map(|g| g.operations.iter().map(move |op| (op.id.as_str(), (g, op)))).collect()
}

impl Differ<'_> {
    fn push(&mut self, section: &str, impact: Impact, text: impl Into<String>) {
        self.report.changes.push(Change { section: section.to_string(), impact, text: text.into() });
    }

    fn operations(&mut self, old: &Api, new: &Api) {
        let (before, after) = (ops(old), ops(new));
        for (id, (group, op)) in &after {
            let s = section(group);
            match before.get(id) {
                None => self.push(
                    &s,
                    Impact::Compatible,
                    format!("new operation `{id}`, {}: {}", endpoint(op), call(group, op)),
                ),
                Some((old_group, old_op)) => self.operation(&s, old_group, old_op, group, op),
            }
        }
        for (id, (group, op)) in &before {
            if !after.contains_key(id) {
                let text = format!("operation `{id}` removed ({}): {} is gone", endpoint(op), call(group, op));
                self.push(&section(group), Impact::Breaking, text);
                let alike = after
                    .values()
                    .find(|(_, n)| !before.contains_key(n.id.as_str()) && n.method == op.method && n.path == op.path);
                if let Some((_, n)) = alike {
                    self.report.notes.push(format!(
                        "`{id}` was removed and `{}` added for the same {}: a rename? Renames are not detected; both are reported.",
                        n.id,
                        endpoint(n)
                    ));
                }
            }
        }
    }

    fn operation(&mut self, s: &str, old_group: &Group, old: &Operation, group: &Group, op: &Operation) {
        let id = &op.id;
        if old_group.module != group.module || old.rust_name != op.rust_name {
            let text = format!("`{id}` is now {} (was {})", call(group, op), call(old_group, old));
            self.push(s, Impact::Breaking, text);
        }
        if old.method != op.method || old.path != op.path {
            self.push(s, Impact::Breaking, format!("`{id}` now sends {} (was {})", endpoint(op), endpoint(old)));
        }
        self.parameters(s, id, &old.params, &op.params);
        self.body(s, id, old.body.as_ref(), op.body.as_ref());
        let (was, is) = (success_text(self.old, &old.success), success_text(self.new, &op.success));
        if was != is {
            self.push(s, Impact::Breaking, format!("`{id}` returns {is} (was {was})"));
        }
        let statuses = |o: &Operation| o.responses.iter().map(|r| r.status.to_string()).collect::<Vec<_>>();
        let (was, is) = (statuses(old), statuses(op));
        for added in is.iter().filter(|s| !was.contains(s)) {
            self.push(s, Impact::Documentation, format!("`{id}` documents a `{added}` response"));
        }
        for removed in was.iter().filter(|s| !is.contains(s)) {
            self.push(s, Impact::Documentation, format!("`{id}` no longer documents a `{removed}` response"));
        }
        for (old_r, r) in
            old.responses.iter().filter_map(|o| Some((o, op.responses.iter().find(|r| r.status == o.status)?)))
        {
            let body = |api: &Api, r: &crate::ir::Response| {
                r.body.as_ref().map(|b| format!("{} {}", b.media_type, type_text(api, &b.ty)))
            };
            let (was, is) = (body(self.old, old_r), body(self.new, r));
            if !r.status.is_success() && was != is {
                let text = format!("`{id}`'s `{}` response body is {} (was {})", r.status, or_none(is), or_none(was));
                self.push(s, Impact::Documentation, text);
            }
            if old_r.description != r.description {
                self.push(s, Impact::Documentation, format!("`{id}`'s `{}` response description", r.status));
            }
        }
        let helper = |present: bool, was_present: bool, name: String, what: &str| match (was_present, present) {
            (false, true) => Some((Impact::Compatible, format!("`{id}` gains {what} `{name}()`"))),
            (true, false) => Some((Impact::Breaking, format!("`{id}` loses {what} `{name}()`"))),
            _ => None,
        };
        let stream =
            op.pagination.as_ref().or(old.pagination.as_ref()).map(|p| p.rust_name.to_string()).unwrap_or_default();
        if let Some((impact, text)) =
            helper(op.pagination.is_some(), old.pagination.is_some(), stream, "the page stream")
        {
            self.push(s, impact, text);
        } else if old.pagination.is_some() && paging_text(self.old, old) != paging_text(self.new, op) {
            self.push(s, Impact::Breaking, format!("`{id}`'s page stream changed (name, style or paging parameters)"));
        }
        let poll_name = op.poll.as_ref().or(old.poll.as_ref()).map(|p| p.rust_name.to_string()).unwrap_or_default();
        if let Some((impact, text)) = helper(op.poll.is_some(), old.poll.is_some(), poll_name, "the poll helper") {
            self.push(s, impact, text);
        } else if old.poll.is_some() && old.poll != op.poll {
            self.push(s, Impact::Breaking, format!("`{id}`'s poll helper changed (name, field or final values)"));
        }
        if !old.deprecated && op.deprecated {
            self.push(
                s,
                Impact::Compatible,
                format!("`{id}` is deprecated (its method warns; builds with `-D warnings` fail)"),
            );
        } else if old.deprecated && !op.deprecated {
            self.push(s, Impact::Documentation, format!("`{id}` is no longer deprecated"));
        }
        if old.summary != op.summary || old.description != op.description {
            self.push(s, Impact::Documentation, format!("`{id}`'s summary or description"));
        }
    }

    fn parameters(&mut self, s: &str, id: &str, old: &[Parameter], new: &[Parameter]) {
        let (was, is) = (|ty| type_text(self.old, ty), |ty| type_text(self.new, ty));
        let key = |p: &Parameter| (p.name.clone(), p.location);
        for p in new {
            let place = p.location.as_str();
            match old.iter().find(|o| key(o) == key(p)) {
                None if p.required => self.push(
                    s,
                    Impact::Breaking,
                    format!("`{id}` has a new required {place} parameter `{}`: {}", p.name, is(&p.ty)),
                ),
                None => self.push(
                    s,
                    Impact::Compatible,
                    format!("`{id}` has a new optional {place} parameter `{}`: {}", p.name, is(&p.ty)),
                ),
                Some(o) => {
                    if was(&o.ty) != is(&p.ty) {
                        let text =
                            format!("`{id}`'s {place} parameter `{}` is {} (was {})", p.name, is(&p.ty), was(&o.ty));
                        self.push(s, Impact::Breaking, text);
                    }
                    if o.required != p.required {
                        let now = if p.required { "required" } else { "optional" };
                        self.push(s, Impact::Breaking, format!("`{id}`'s {place} parameter `{}` is now {now}", p.name));
                    }
                    if o.style != p.style || o.encoding != p.encoding {
                        self.push(
                            s,
                            Impact::Breaking,
                            format!("`{id}`'s {place} parameter `{}` is encoded differently", p.name),
                        );
                    }
                    if o.description != p.description {
                        self.push(s, Impact::Documentation, format!("`{id}`'s parameter `{}` description", p.name));
                    }
                }
            }
        }
        for o in old.iter().filter(|o| !new.iter().any(|p| key(p) == key(o))) {
            let place = o.location.as_str();
            self.push(s, Impact::Breaking, format!("`{id}`'s {place} parameter `{}` removed", o.name));
            if let Some(p) = new
                .iter()
                .find(|p| !old.iter().any(|q| key(q) == key(p)) && is(&p.ty) == was(&o.ty) && p.location == o.location)
            {
                self.report.notes.push(format!(
                    "`{id}`: parameter `{}` removed and `{}` added with the same type: a rename?",
                    o.name, p.name
                ));
            }
        }
    }

    fn body(&mut self, s: &str, id: &str, old: Option<&RequestBody>, new: Option<&RequestBody>) {
        let text = |api: &Api, b: Option<&RequestBody>| {
            b.map(|b| {
                format!("{} {}{}", b.media_type, type_text(api, &b.ty), if b.required { "" } else { " (optional)" })
            })
        };
        let (was, is) = (text(self.old, old), text(self.new, new));
        if was != is {
            let text = format!("`{id}`'s request body is {} (was {})", or_none(is), or_none(was));
            self.push(s, Impact::Breaking, text);
        } else if old.map(|b| &b.description) != new.map(|b| &b.description) {
            self.push(s, Impact::Documentation, format!("`{id}`'s request body description"));
        }
    }

    fn types(&mut self, old: &Api, new: &Api) {
        const S: &str = "Types (`types::`)";
        let before: IndexMap<&str, &TypeDef> = old.types.iter().map(|t| (t.name.raw(), t)).collect();
        let after: IndexMap<&str, &TypeDef> = new.types.iter().map(|t| (t.name.raw(), t)).collect();
        for (name, t) in &after {
            match before.get(name) {
                None => self.push(S, Impact::Compatible, format!("new type `{name}` ({})", kind_name(&t.kind))),
                Some(o) => self.type_def(S, o, t),
            }
        }
        for (name, t) in &before {
            if after.contains_key(name) {
                continue;
            }
            self.push(S, Impact::Breaking, format!("type `{name}` removed"));
            let alike = after.iter().find(|(n, a)| !before.contains_key(*n) && same_shape(&t.kind, &a.kind));
            if let Some((n, _)) = alike {
                self.report
                    .notes
                    .push(format!("type `{name}` was removed and `{n}` added with the same shape: a rename?"));
            }
        }
    }

    fn type_def(&mut self, s: &str, old: &TypeDef, new: &TypeDef) {
        let name = new.name.raw();
        let (was, is) = (|ty| type_text(self.old, ty), |ty| type_text(self.new, ty));
        match (&old.kind, &new.kind) {
            (TypeKind::Struct { fields: a, additional: x }, TypeKind::Struct { fields: b, additional: y }) => {
                self.fields(s, name, a, b);
                match (x, y) {
                    (None, Some(t)) => {
                        self.push(s, Impact::Compatible, format!("`{name}` keeps extra properties ({})", is(t)))
                    }
                    (Some(_), None) => {
                        self.push(s, Impact::Breaking, format!("`{name}` no longer keeps extra properties"))
                    }
                    (Some(a), Some(b)) if was(a) != is(b) => self.push(
                        s,
                        Impact::Breaking,
                        format!("`{name}`'s extra properties are {} (was {})", is(b), was(a)),
                    ),
                    _ => {}
                }
            }
            (TypeKind::Multipart { fields: a }, TypeKind::Multipart { fields: b }) => self.fields(s, name, a, b),
            (TypeKind::Enum { variants: a }, TypeKind::Enum { variants: b }) => {
                for v in b.iter().filter(|v| !a.iter().any(|w| w.value == v.value)) {
                    self.push(
                        s,
                        Impact::Compatible,
                        format!("`{name}` has a new value `{}` (older clients read it as `Unknown`)", v.value),
                    );
                }
                for v in a.iter().filter(|v| !b.iter().any(|w| w.value == v.value)) {
                    self.push(
                        s,
                        Impact::Breaking,
                        format!("`{name}` loses the value `{}` (variant `{}`)", v.value, v.rust_name),
                    );
                }
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) if was(a) != is(b) => {
                self.push(s, Impact::Breaking, format!("`{name}` is {} (was {})", is(b), was(a)));
            }
            (TypeKind::OneOf { variants: a, .. }, TypeKind::OneOf { variants: b, .. }) => {
                let shapes = |api: &Api, v: &[crate::ir::OneOfVariant]| {
                    v.iter().map(|v| type_text(api, &v.ty)).collect::<Vec<_>>()
                };
                let (before, after) = (shapes(self.old, a), shapes(self.new, b));
                if before != after {
                    let text = format!(
                        "`{name}` is one of {} (was {}); its enum is exhaustive",
                        after.join(", "),
                        before.join(", ")
                    );
                    self.push(s, Impact::Breaking, text);
                }
            }
            (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => {
                self.push(s, Impact::Breaking, format!("`{name}` is now {} (was {})", kind_name(b), kind_name(a)));
            }
            _ => {}
        }
        if old.description != new.description {
            self.push(s, Impact::Documentation, format!("`{name}`'s description"));
        }
        if !old.deprecated && new.deprecated {
            self.push(s, Impact::Compatible, format!("`{name}` is deprecated"));
        }
    }

    fn fields(&mut self, s: &str, name: &str, old: &[Field], new: &[Field]) {
        let (was, is) = (|ty| type_text(self.old, ty), |ty| type_text(self.new, ty));
        for f in new {
            match old.iter().find(|o| o.name == f.name) {
                None if f.required => self.push(
                    s,
                    Impact::Breaking,
                    format!("`{name}` has a new required field `{}`: {} (`{name}::new` takes it)", f.name, is(&f.ty)),
                ),
                None => self.push(
                    s,
                    Impact::Compatible,
                    format!("`{name}` has a new optional field `{}`: {}", f.name, is(&f.ty)),
                ),
                Some(o) => {
                    if was(&o.ty) != is(&f.ty) {
                        let text = format!("`{name}.{}` is {} (was {})", f.name, is(&f.ty), was(&o.ty));
                        self.push(s, Impact::Breaking, text);
                    }
                    if o.required != f.required {
                        let now = if f.required { "required" } else { "optional" };
                        self.push(s, Impact::Breaking, format!("`{name}.{}` is now {now}", f.name));
                    }
                    if o.description != f.description {
                        self.push(s, Impact::Documentation, format!("`{name}.{}` description", f.name));
                    }
                    if o.default != f.default {
                        let text = format!(
                            "`{name}.{}`'s server default is {} (was {})",
                            f.name,
                            or_none(f.default.clone()),
                            or_none(o.default.clone())
                        );
                        self.push(s, Impact::Documentation, text);
                    }
                    if !o.deprecated && f.deprecated {
                        self.push(s, Impact::Compatible, format!("`{name}.{}` is deprecated", f.name));
                    }
                }
            }
        }
        for o in old.iter().filter(|o| !new.iter().any(|f| f.name == o.name)) {
            self.push(s, Impact::Breaking, format!("`{name}.{}` removed", o.name));
            if let Some(f) = new.iter().find(|f| !old.iter().any(|q| q.name == f.name) && is(&f.ty) == was(&o.ty)) {
                self.report.notes.push(format!(
                    "`{name}.{}` removed and `{name}.{}` added with the same type: a rename?",
                    o.name, f.name
                ));
            }
        }
    }

    fn api(&mut self, old: &Api, new: &Api) {
        const S: &str = "Client";
        let error_type = |api: &Api| api.error_type.map(|id| api.type_name(id).to_string());
        if error_type(old) != error_type(new) {
            let text = format!(
                "`ApiErrorExt::error_response()` reads {} (was {})",
                or_none(error_type(new)),
                or_none(error_type(old))
            );
            self.push(S, Impact::Breaking, text);
        }
        let url = |a: &Api| a.server.as_ref().map(|s| s.url.clone());
        if url(old) != url(new) {
            let text = format!("server URL template is {} (was {})", or_none(url(new)), or_none(url(old)));
            self.push(S, Impact::Breaking, text);
        }
        if old.token_url != new.token_url {
            self.push(S, Impact::Documentation, "the OAuth2 token URL template");
        }
        if old.title != new.title || old.description != new.description || old.version != new.version {
            self.push(
                S,
                Impact::Documentation,
                format!("API title, description or version (`{}` → `{}`)", old.version, new.version),
            );
        }
    }
}

fn or_none(s: Option<String>) -> String {
    s.map_or_else(|| "none".into(), |s| format!("`{s}`"))
}

/// A page stream as it reads: how it counts, its paging parameters, its name and its items.
fn paging_text(api: &Api, op: &Operation) -> Option<String> {
    let p = op.pagination.as_ref()?;
    Some(format!("{} {} {}", p.describe(), p.rust_name, type_text(api, &p.item)))
}

fn success_text(api: &Api, s: &Success) -> String {
    match s {
        Success::Empty => "nothing".into(),
        Success::Json(t) => format!("`{}`", type_text(api, t)),
        Success::Text => "text".into(),
        Success::Bytes => "a byte stream".into(),
    }
}

fn kind_name(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct { .. } => "an object",
        TypeKind::Multipart { .. } => "a multipart form",
        TypeKind::Enum { .. } => "a string enum",
        TypeKind::Alias(_) => "an alias",
        TypeKind::OneOf { .. } => "a union",
    }
}

/// Same kind and same field names (or enum values): what a renamed type looks like.
fn same_shape(a: &TypeKind, b: &TypeKind) -> bool {
    let names = |f: &[Field]| f.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
    match (a, b) {
        (TypeKind::Struct { fields: x, .. }, TypeKind::Struct { fields: y, .. })
        | (TypeKind::Multipart { fields: x }, TypeKind::Multipart { fields: y }) => {
            !x.is_empty() && names(x) == names(y)
        }
        (TypeKind::Enum { variants: x }, TypeKind::Enum { variants: y }) => {
            x.iter().map(|v| &v.value).eq(y.iter().map(|v| &v.value))
        }
        _ => false,
    }
}
