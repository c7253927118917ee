//! Pass: the command line (the generated crate's `cli` feature). Each group becomes a subcommand
//! and each operation one under it, named after their Rust names in kebab case (`user-groups`,
//! `get-job`): one naming scheme. Path parameters are positional (`JOB_ID`); the others, the
//! body's top-level scalar fields and the multipart parts get flags, unique within the command
//! and never one of the flags the command layer and `ayx` use themselves. Each value's kind is
//! decided here from the types its reference leads to, after the wire pass.

use crate::ir::*;

/// The flags of the command layer (`--body`, `--out`, `--all`, `--dry-run`), of its programs
/// (`--base-url`; `ayx`'s global flags) and of `clap` (`--help`, `--version`); the runtime's
/// `cli::RESERVED_FLAGS`, which a test keeps equal to this list.
pub const RESERVED_FLAGS: &[&str] = &[
    "help",
    "version",
    "body",
    "out",
    "all",
    "dry-run",
    "base-url",
    "profile",
    "config",
    "json",
    "no-progress",
    "yes",
];

pub(super) fn plan_commands(api: &mut Api) {
    let mut groups = Names::new(&["help"]);
    let kinds: Vec<Option<CliValue>> = (0..api.types.len()).map(|i| scalar_of_named(api, TypeId(i as u32))).collect();
    let kind = |ty: &TypeRef| value_of(&kinds, ty);
    let mut planned = Vec::new();
    for group in &api.groups {
        let group_name = groups.claim(&kebab(group.module.bare()));
        let mut commands = Names::new(&["help"]);
        let ops: Vec<CliCommand> = group.operations.iter().map(|op| command(api, op, &mut commands, &kind)).collect();
        planned.push((group_name, ops));
    }
    for (group, (name, ops)) in api.groups.iter_mut().zip(planned) {
        group.cli_name = name;
        for (op, cli) in group.operations.iter_mut().zip(ops) {
            op.cli = cli;
        }
    }
}

fn command(api: &Api, op: &Operation, commands: &mut Names, kind: &dyn Fn(&TypeRef) -> CliValue) -> CliCommand {
    let mut flags = Names::new(RESERVED_FLAGS);
    let params = op
        .params
        .iter()
        .map(|p| {
            let (value, repeated) = match (p.encoding, p.ty.non_null()) {
                (ParamEncoding::TextItems | ParamEncoding::Joined(_), TypeRef::Array(item)) => (kind(item), true),
                (ParamEncoding::Json(_), _) => (CliValue::Json, false),
                (_, ty) => (kind(ty), false),
            };
            let name = match p.location {
                ParamLocation::Path => p.rust_name.screaming().bare().to_string(),
                _ => flags.claim_or(&kebab(p.rust_name.bare()), p.location.as_str()),
            };
            CliArg { name, value, repeated }
        })
        .collect();
    let body = op.body.as_ref().map(|body| match body.encoding {
        BodyEncoding::Text | BodyEncoding::Binary => CliBody::Raw,
        BodyEncoding::Multipart => {
            let fields = body.ty.direct_id().map(|id| api.ty(id).kind.fields()).unwrap_or(&[]);
            CliBody::Parts(fields.iter().map(|f| part(f, &mut flags, kind)).collect())
        }
        BodyEncoding::Json | BodyEncoding::Form => {
            let fields = match api.resolve(&body.ty) {
                TypeRef::Named { id, .. } => match &api.ty(*id).kind {
                    TypeKind::Struct { fields, .. } => fields.as_slice(),
                    _ => &[],
                },
                _ => &[],
            };
            let flagged = fields.iter().enumerate().filter(|(_, f)| !f.read_only).filter_map(|(i, f)| {
                let value = kind(f.ty.non_null());
                let scalar = !matches!(value, CliValue::Json | CliValue::File);
                scalar.then(|| {
                    (i, CliArg { name: flags.claim_or(&kebab(f.rust_name.bare()), "body"), value, repeated: false })
                })
            });
            CliBody::Document { fields: flagged.collect() }
        }
    });
    CliCommand { name: commands.claim(&kebab(op.rust_name.bare())), params, body }
}

/// A multipart part's flag: a file (or several) by path, text values checked by kind, JSON parts
/// as JSON text.
fn part(field: &Field, flags: &mut Names, kind: &dyn Fn(&TypeRef) -> CliValue) -> CliArg {
    let item = match field.ty.non_null() {
        TypeRef::Array(item) => item.as_ref(),
        other => other,
    };
    let (value, repeated) = match field.part {
        PartEncoding::File => (CliValue::File, false),
        PartEncoding::Files => (CliValue::File, true),
        PartEncoding::Text => (kind(field.ty.non_null()), false),
        PartEncoding::TextItems => (kind(item), true),
        PartEncoding::Json => (CliValue::Json, false),
        PartEncoding::JsonItems => (CliValue::Json, true),
    };
    CliArg { name: flags.claim_or(&kebab(field.rust_name.bare()), "part"), value, repeated }
}

/// What a value of `ty` is on the command line: a scalar's kind, else JSON.
fn value_of(named: &[Option<CliValue>], ty: &TypeRef) -> CliValue {
    match ty {
        TypeRef::String => CliValue::Text,
        TypeRef::DateTime => CliValue::DateTime,
        TypeRef::Date => CliValue::Date,
        TypeRef::Uuid => CliValue::Uuid,
        TypeRef::Binary => CliValue::File,
        TypeRef::Base64 => CliValue::Base64,
        TypeRef::Bool => CliValue::Bool,
        TypeRef::Integer { unsigned: true, .. } => CliValue::Unsigned,
        TypeRef::Integer { .. } => CliValue::Integer,
        TypeRef::Number { .. } => CliValue::Number,
        TypeRef::Nullable(inner) => value_of(named, inner),
        TypeRef::Named { id, .. } => named[id.index()].unwrap_or(CliValue::Json),
        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Any => CliValue::Json,
    }
}

/// A named type's kind when it is a scalar: a string enum, or an alias of a scalar.
fn scalar_of_named(api: &Api, id: TypeId) -> Option<CliValue> {
    match &api.ty(id).kind {
        TypeKind::Enum { .. } => Some(CliValue::Enum(id)),
        TypeKind::Alias(_) => match api.resolve(&TypeRef::named(id)) {
            TypeRef::Named { id: target, .. } if matches!(api.ty(*target).kind, TypeKind::Enum { .. }) => {
                Some(CliValue::Enum(*target))
            }
            TypeRef::Named { .. } => None,
            other => Some(value_of(&[], other)).filter(|v| !matches!(v, CliValue::Json)),
        },
        _ => None,
    }
}

/// `get_job` → `get-job`; `_2fa` → `2fa`.
fn kebab(snake: &str) -> String {
    snake.trim_matches('_').replace('_', "-")
}

/// The flags (or subcommands) taken in one scope.
struct Names(std::collections::HashSet<String>);

impl Names {
    fn new(reserved: &[&str]) -> Self {
        Names(reserved.iter().map(|s| s.to_string()).collect())
    }

    /// `name`, or `name-2`, `name-3`... whichever is free first.
    fn claim(&mut self, name: &str) -> String {
        let name = if name.is_empty() { "x" } else { name };
        let free = std::iter::once(name.to_string()).chain((2..).map(|i| format!("{name}-{i}")));
        let chosen = free.into_iter().find(|n| !self.0.contains(n)).unwrap_or_default();
        self.0.insert(chosen.clone());
        chosen
    }

    /// `name`, or, when that is taken, `name` after a word that says where it goes
    /// (`--query-all`, `--body-name`).
    fn claim_or(&mut self, name: &str, place: &str) -> String {
        if self.0.contains(name) { self.claim(&format!("{place}-{name}")) } else { self.claim(name) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taken_flags_say_where_they_go_then_count() {
        let mut names = Names::new(RESERVED_FLAGS);
        assert_eq!(names.claim_or("limit", "query"), "limit");
        assert_eq!(names.claim_or("all", "query"), "query-all");
        assert_eq!(names.claim_or("limit", "body"), "body-limit");
        assert_eq!(names.claim_or("limit", "body"), "body-limit-2");
        assert_eq!(kebab("_2fa_code"), "2fa-code");
    }

    #[test]
    fn the_reserved_flags_are_the_runtimes() {
        let (_, source) = crate::runtime_names::RUNTIME_FILES.iter().find(|(name, _)| *name == "cli/mod.rs").unwrap();
        let start = source.find("pub const RESERVED_FLAGS").expect("the runtime declares its reserved flags");
        let list = &source[start..start + source[start..].find("];").unwrap()];
        let runtime: Vec<&str> = list.split('"').skip(1).step_by(2).collect();
        assert_eq!(runtime, RESERVED_FLAGS);
    }
}
