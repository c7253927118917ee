//! `ayx migrate`: workflows from one server to another, as seed 003 and the help pages describe
//! it: the workflows marked ready to migrate on the source (admin v1; or named ones, or a
//! collection's), their packages, published in the target with `sourceId` = the source's id (a
//! workflow that came from the same source gets a new version instead of a twin), then the
//! source's flag reset. Servers without the admin v1 migration endpoints take the V3 path:
//! download the package, then upload it as a new version of the target workflow whose
//! `sourceAppId` is the source's id, or as a new workflow with that `sourceAppId`; it can only
//! replace what the target reports a `sourceAppId` for, and says so.
//!
//! Safe to rerun: published workflows are no longer marked (their flag was reset), a workflow
//! published but not yet reset is published again as a new version, and failures are retried.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use alteryx_server::operations::{GetCollectionsOptions, GetMigratableWorkflowsOptions, GetWorkflowsOptions};
use alteryx_server::types::{
    ExecutionMode, PublishMigratedWorkflowRequest, PublishMigratedWorkflowRequestRequired, UploadWorkflowRequest,
    UploadWorkflowRequestRequired, UploadWorkflowVersionRequest, UploadWorkflowVersionRequestRequired, View,
    WorkflowCredentialType, WorkflowDetail,
};
use alteryx_server::{Client, Error, FilePart};
use serde::{Deserialize, Serialize};

use crate::commands::package_map::{Map, Replaced};
use crate::commands::plan::PlanServer;
use crate::context::{Context, user_id};
use crate::exit::{self, CliError};
use clap::{Args, ValueEnum};

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["marked", "workflows", "collection"])))]
pub struct MigrateArgs {
    /// The source server's profile.
    #[arg(long, value_name = "PROFILE")]
    pub from: String,
    /// The target server's profile.
    #[arg(long, value_name = "PROFILE")]
    pub to: String,
    /// The workflows marked ready to migrate on the source (admin v1).
    #[arg(long)]
    pub marked: bool,
    /// With --marked: only those of these subscriptions.
    #[arg(long = "subscription", value_name = "ID", requires = "marked")]
    pub subscriptions: Vec<String>,
    /// These workflows (repeat).
    #[arg(long = "workflow", value_name = "ID")]
    pub workflows: Vec<String>,
    /// The workflows of the source's collection of this name.
    #[arg(long, value_name = "NAME")]
    pub collection: Option<String>,
    /// The owner in the target, by email (default: the source owner's email).
    #[arg(long, value_name = "EMAIL")]
    pub owner: Option<String>,
    /// Print the plan and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Which API publishes: admin v1 (replaces by source id), V3 (adds a version to the target
    /// workflow whose sourceAppId is the source id, when the target reports it), or auto (admin
    /// v1, V3 where the server has no admin v1 migration endpoints).
    #[arg(long, value_enum, default_value_t = MigrationApi::Auto)]
    pub api: MigrationApi,
    /// Values that differ between the servers, replaced inside each package's workflow files
    /// before it is published: a TOML file with a `[replace]` table of "source value" = "target
    /// value" (DCM connection ids, connection strings, server paths, data source names).
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Write the plan to FILE and change nothing; `ayx apply FILE` carries out exactly that
    /// plan later, and refuses when the servers changed in a way that matters.
    #[arg(long, value_name = "FILE", conflicts_with = "dry_run")]
    pub plan_out: Option<PathBuf>,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MigrationApi {
    Auto,
    #[value(name = "admin-v1")]
    AdminV1,
    V3,
}

impl MigrationApi {
    /// As the command line spells it.
    fn as_str(self) -> &'static str {
        match self {
            MigrationApi::Auto => "auto",
            MigrationApi::AdminV1 => "admin-v1",
            MigrationApi::V3 => "v3",
        }
    }
}

/// One workflow's migration, as the report shows it.
#[derive(Debug, Clone, Serialize)]
struct Step {
    source_id: String,
    name: String,
    owner: String,
    /// `publish` (admin v1), `create` or `add-version` (V3).
    action: String,
    /// The target workflow that gets a new version, when one is known.
    replaces: Option<String>,
    /// `planned`, `migrated` or `failed`.
    result: String,
    /// What the target answered (the new id, as servers send it), when it did.
    target_id: Option<String>,
    error: Option<String>,
    /// What `--map` replaced in the package, file by file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    replaced: Vec<Replaced>,
    #[serde(skip)]
    detail: Option<WorkflowDetail>,
    #[serde(skip)]
    marked: bool,
}

pub async fn run(context: &Context, args: MigrateArgs) -> Result<(), CliError> {
    // A map that cannot be read stops the command before anything is asked of a server.
    let table = args.map.as_deref().map(crate::commands::package_map::read_table).transpose()?;
    let map = table.clone().map(Map::from_table).transpose()?;
    let (source, from) = context.client_of(&args.from)?;
    let (target, to) = context.client_of(&args.to)?;
    if from.url.trim_end_matches('/') == to.url.trim_end_matches('/') {
        return Err(CliError::Usage(format!("--from and --to are the same server ({})", from.url)));
    }
    let (ids, marked) = candidates(&source, &args).await?;
    let api = args.api;
    // The V3 path replaces what the target reports a sourceAppId for.
    let by_source: HashMap<String, String> = if api == MigrationApi::AdminV1 {
        HashMap::new()
    } else {
        let workflows = target.workflows().get_workflows(GetWorkflowsOptions::default().view(View::Full)).await?;
        workflows.into_iter().filter_map(|w| Some((w.source_app_id.filter(|s| !s.is_empty())?, w.id?))).collect()
    };
    let mut owners: HashMap<String, String> = HashMap::new();
    let mut steps = Vec::new();
    for id in ids {
        let detail = match source.workflows().get_workflow(&id).await {
            Ok(detail) => detail,
            Err(e) => {
                steps.push(failed_step(&id, e.to_string()));
                continue;
            }
        };
        let owner = match &args.owner {
            Some(owner) => owner.clone(),
            None => owner_email(&source, &detail, &mut owners).await.unwrap_or_default(),
        };
        let replaces = by_source.get(&id).cloned();
        let action = match (api, &replaces) {
            (MigrationApi::V3, Some(_)) => "add-version",
            (MigrationApi::V3, None) => "create",
            _ => "publish",
        };
        steps.push(Step {
            source_id: id.clone(),
            name: detail.name.clone().unwrap_or_else(|| id.clone()),
            owner,
            action: action.into(),
            replaces,
            result: "planned".into(),
            target_id: None,
            error: None,
            replaced: Vec::new(),
            detail: Some(detail),
            marked: marked.contains(&id),
        });
    }
    let names = (args.from.as_str(), args.to.as_str());
    if args.dry_run {
        report(context, &steps, names, true);
        return Ok(());
    }
    if let Some(step) = steps.iter().find(|s| s.result == "planned" && s.owner.is_empty()) {
        return Err(CliError::Usage(format!(
            "the owner of {} in the target is unknown: give --owner EMAIL",
            step.source_id
        )));
    }
    if let Some(path) = &args.plan_out {
        let plan = MigratePlan {
            from: PlanServer { profile: args.from.clone(), url: from.url.clone() },
            to: PlanServer { profile: args.to.clone(), url: to.url.clone() },
            api: api.as_str().into(),
            replace: table,
            workflows: steps.iter().filter(|s| s.result == "planned").map(PlannedWorkflow::of).collect(),
        };
        crate::commands::plan::write(path, crate::commands::plan::Plan::Migrate(plan))?;
        report(context, &steps, names, true);
        context.out.say(format!(
            "plan written to {}; carry it out with `ayx apply {}`",
            path.display(),
            path.display()
        ));
        return Ok(());
    }
    execute(context, (&source, &target), steps, names, api, map.as_ref()).await
}

/// Migrates the planned steps (asking first), then reports and sets the exit code.
async fn execute(
    context: &Context,
    (source, target): (&Client, &Client),
    mut steps: Vec<Step>,
    names: (&str, &str),
    mut api: MigrationApi,
    map: Option<&Map>,
) -> Result<(), CliError> {
    let planned = steps.iter().filter(|s| s.result == "planned").count();
    if planned == 0 {
        report(context, &steps, names, false);
        return finish(&steps);
    }
    context.confirm(&format!("Migrate {planned} workflow(s) from `{}` to `{}`?", names.0, names.1))?;
    let scratch = std::env::temp_dir().join(format!("ayx-migrate-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| CliError::io(format!("cannot create {}", scratch.display()), e))?;
    let bar = context.progress.items("workflows", planned as u64);
    for step in steps.iter_mut().filter(|s| s.result == "planned") {
        let package =
            scratch.join(format!("{}.yxzp", step.source_id.replace(|c: char| !c.is_ascii_alphanumeric(), "_")));
        let outcome = migrate_one(source, target, step, &package, &mut api, map).await;
        let _ = std::fs::remove_file(&package);
        match outcome {
            Ok(answer) => {
                step.result = "migrated".into();
                step.target_id = answer.filter(|a| !a.trim().is_empty());
            }
            Err(e) => {
                step.result = "failed".into();
                step.error = Some(e);
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let _ = std::fs::remove_dir_all(&scratch);
    report(context, &steps, names, false);
    finish(&steps)
}

/// `ayx migrate --plan-out`: what a migration will do, exactly.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MigratePlan {
    pub from: PlanServer,
    pub to: PlanServer,
    /// `auto`, `admin-v1` or `v3`.
    pub api: String,
    /// `--map`'s replacements, as they were when the plan was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace: Option<std::collections::BTreeMap<String, String>>,
    pub workflows: Vec<PlannedWorkflow>,
}

/// One workflow of a plan, with what must still hold to carry it out.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlannedWorkflow {
    pub source_id: String,
    pub name: String,
    /// The owner in the target, by email.
    pub owner: String,
    pub action: String,
    pub replaces: Option<String>,
    /// The source's published version when the plan was made: a newer one makes it stale.
    pub published_version_id: Option<String>,
    pub marked: bool,
}

impl PlannedWorkflow {
    fn of(step: &Step) -> PlannedWorkflow {
        PlannedWorkflow {
            source_id: step.source_id.clone(),
            name: step.name.clone(),
            owner: step.owner.clone(),
            action: step.action.clone(),
            replaces: step.replaces.clone(),
            published_version_id: step.detail.as_ref().and_then(|d| d.published_version_id.clone()),
            marked: step.marked,
        }
    }
}

/// `ayx apply` of a migration plan: every condition checked first (the profiles still point at
/// the same servers, each workflow is still in the source at the planned version, each owner
/// and each workflow to replace still in the target); any that fails refuses the whole plan
/// with exit 9 and changes nothing. Then exactly the planned steps.
pub async fn apply(context: &Context, plan: MigratePlan) -> Result<(), CliError> {
    let (source, from) = context.client_of(&plan.from.profile)?;
    let (target, to) = context.client_of(&plan.to.profile)?;
    let mut stale: Vec<String> = [plan.from.moved(&from.url), plan.to.moved(&to.url)].into_iter().flatten().collect();
    let api = match plan.api.as_str() {
        "admin-v1" => MigrationApi::AdminV1,
        "v3" => MigrationApi::V3,
        _ => MigrationApi::Auto,
    };
    let map = plan.replace.clone().map(Map::from_table).transpose()?;
    let mut steps = Vec::new();
    let mut owners_seen: HashMap<String, bool> = HashMap::new();
    for planned in &plan.workflows {
        let id = &planned.source_id;
        let detail = match source.workflows().get_workflow(id).await {
            Ok(detail) => detail,
            Err(Error::Api(e)) if e.status == 404 => {
                stale.push(format!("the workflow {id} ({}) is gone from `{}`", planned.name, plan.from.profile));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if detail.published_version_id != planned.published_version_id {
            stale.push(format!(
                "the workflow {id} ({}) has another published version in `{}` since the plan ({} then, {} now)",
                planned.name,
                plan.from.profile,
                planned.published_version_id.as_deref().unwrap_or("none"),
                detail.published_version_id.as_deref().unwrap_or("none"),
            ));
        }
        let known = match owners_seen.get(&planned.owner) {
            Some(known) => *known,
            None => {
                let known = user_id(&target, &planned.owner).await.is_ok();
                owners_seen.insert(planned.owner.clone(), known);
                known
            }
        };
        if !known {
            stale.push(format!("the owner {} of {id} is gone from `{}`", planned.owner, plan.to.profile));
        }
        if let Some(replaces) = &planned.replaces {
            match target.workflows().get_workflow(replaces).await {
                Err(Error::Api(e)) if e.status == 404 => {
                    stale
                        .push(format!("the workflow {replaces} that {id} replaces is gone from `{}`", plan.to.profile));
                }
                Err(e) => return Err(e.into()),
                Ok(_) => {}
            }
        }
        steps.push(Step {
            source_id: id.clone(),
            name: planned.name.clone(),
            owner: planned.owner.clone(),
            action: planned.action.clone(),
            replaces: planned.replaces.clone(),
            result: "planned".into(),
            target_id: None,
            error: None,
            replaced: Vec::new(),
            detail: Some(detail),
            marked: planned.marked,
        });
    }
    crate::commands::plan::refuse_if_stale(&stale, "ayx migrate ... --plan-out FILE")?;
    let names = (plan.from.profile.as_str(), plan.to.profile.as_str());
    execute(context, (&source, &target), steps, names, api, map.as_ref()).await
}

fn failed_step(id: &str, error: String) -> Step {
    Step {
        source_id: id.to_string(),
        name: id.to_string(),
        owner: String::new(),
        action: "none".into(),
        replaces: None,
        result: "failed".into(),
        target_id: None,
        error: Some(error),
        replaced: Vec::new(),
        detail: None,
        marked: false,
    }
}

/// The source workflows to migrate, and which of them are marked ready (their flag is reset
/// after they are published).
async fn candidates(source: &Client, args: &MigrateArgs) -> Result<(Vec<String>, HashSet<String>), CliError> {
    if args.marked {
        let mut options = GetMigratableWorkflowsOptions::default();
        if !args.subscriptions.is_empty() {
            options.subscription_ids = Some(args.subscriptions.join(","));
        }
        let listed = source.migration().get_migratable_workflows(options).await.map_err(|e| match e {
            Error::Api(api) if api.status == 404 => CliError::Usage(
                "the source has no admin v1 migration endpoints: name the workflows (--workflow or --collection) instead of --marked"
                    .into(),
            ),
            other => other.into(),
        })?;
        // Servers name the id `appId` (help page) or `id` (as the R client reads it).
        let ids: Vec<String> =
            listed.into_iter().filter_map(|w| w.app_id.or(w.id)).filter(|id| !id.is_empty()).collect();
        let marked = ids.iter().cloned().collect();
        return Ok((ids, marked));
    }
    if !args.workflows.is_empty() {
        return Ok((args.workflows.clone(), HashSet::new()));
    }
    let name = args.collection.as_deref().unwrap_or_default();
    let collections = source.collections().get_collections(GetCollectionsOptions::default()).await?;
    let found: Vec<_> =
        collections.iter().filter(|c| c.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name))).collect();
    let id = match found.as_slice() {
        [one] => one.id.clone().unwrap_or_default(),
        [] => return Err(CliError::Usage(format!("the source has no collection named {name:?}"))),
        _ => return Err(CliError::Usage(format!("the source has several collections named {name:?}"))),
    };
    let collection = source.collections().get_collection(&id).await?;
    Ok((collection.workflow_ids.unwrap_or_default(), HashSet::new()))
}

/// The email of a workflow's owner on the source (the target knows users by email).
async fn owner_email(source: &Client, detail: &WorkflowDetail, cache: &mut HashMap<String, String>) -> Option<String> {
    let owner = detail.owner_id.clone()?;
    if let Some(email) = cache.get(&owner) {
        return Some(email.clone());
    }
    let email = source.users().get_user(&owner).await.ok()?.email?;
    cache.insert(owner, email.clone());
    Some(email)
}

/// Downloads one package from the source and publishes it in the target; resets the source's
/// flag when the workflow was marked. Returns the target's answer to the publication.
async fn migrate_one(
    source: &Client,
    target: &Client,
    step: &mut Step,
    package: &PathBuf,
    api: &mut MigrationApi,
    map: Option<&Map>,
) -> Result<Option<String>, String> {
    let detail = step.detail.clone().unwrap_or_default();
    let download = match api {
        MigrationApi::V3 => source.workflows().download_workflow_package(&step.source_id, Default::default()).await,
        _ => match source.migration().download_package(&step.source_id).await {
            Err(Error::Api(e)) if e.status == 404 && *api == MigrationApi::Auto => {
                source.workflows().download_workflow_package(&step.source_id, Default::default()).await
            }
            other => other,
        },
    };
    download
        .map_err(|e| format!("download: {e}"))?
        .save_to_file(package)
        .await
        .map_err(|e| format!("download: {e}"))?;
    if let Some(map) = map {
        step.replaced = map.apply(package).map_err(|e| format!("--map: {e}"))?;
    }
    let step = &*step;
    let answer = match api {
        MigrationApi::V3 => publish_v3(target, step, &detail, package).await?,
        _ => match publish_v1(target, step, &detail, package).await {
            Err(Error::Api(e)) if e.status == 404 && *api == MigrationApi::Auto => {
                eprintln!(
                    "note: the target has no admin v1 migration endpoints; using V3, which replaces only workflows whose sourceAppId the target reports"
                );
                *api = MigrationApi::V3;
                publish_v3(target, step, &detail, package).await?
            }
            other => other.map_err(|e| format!("publish: {e}"))?,
        },
    };
    if step.marked {
        source.migration().toggle_migratable(&step.source_id).await.map_err(|e| {
            format!(
                "published, but the source's ready-to-migrate flag was not reset ({e}); a rerun adds a version again"
            )
        })?;
    }
    Ok(answer)
}

async fn publish_v1(
    target: &Client,
    step: &Step,
    detail: &WorkflowDetail,
    package: &PathBuf,
) -> Result<Option<String>, Error> {
    let form = PublishMigratedWorkflowRequest::new(PublishMigratedWorkflowRequestRequired {
        file: FilePart::from_path(package),
        name: step.name.clone(),
        owner: step.owner.clone(),
        validate: true,
        is_public: detail.is_public.unwrap_or(false),
        source_id: step.source_id.clone(),
        worker_tag: detail.worker_tag.clone().unwrap_or_default(),
        can_download: detail.others_may_download.unwrap_or(false),
    });
    target.migration().publish(form).await.map(Some)
}

async fn publish_v3(
    target: &Client,
    step: &Step,
    detail: &WorkflowDetail,
    package: &PathBuf,
) -> Result<Option<String>, String> {
    let owner_id = user_id(target, &step.owner).await.map_err(|e| format!("owner: {e}"))?;
    let mode = detail.execution_mode.clone().unwrap_or(ExecutionMode::Standard);
    match &step.replaces {
        Some(existing) => {
            let version = UploadWorkflowVersionRequest::new(UploadWorkflowVersionRequestRequired {
                file: FilePart::from_path(package),
                name: step.name.clone(),
                owner_id,
                others_may_download: detail.others_may_download.unwrap_or(false),
                others_can_execute: detail.others_can_execute.unwrap_or(false),
                execution_mode: mode,
                make_published: true,
                workflow_credential_type: WorkflowCredentialType::Default,
            });
            let updated = target
                .workflows()
                .upload_workflow_version(existing, version)
                .await
                .map_err(|e| format!("publish: {e}"))?;
            Ok(updated.id)
        }
        None => {
            let mut upload = UploadWorkflowRequest::new(UploadWorkflowRequestRequired {
                file: FilePart::from_path(package),
                name: step.name.clone(),
                owner_id,
                is_public: detail.is_public.unwrap_or(false),
                is_ready_for_migration: false,
                others_may_download: detail.others_may_download.unwrap_or(false),
                others_can_execute: detail.others_can_execute.unwrap_or(false),
                execution_mode: mode,
                workflow_credential_type: WorkflowCredentialType::Default,
            });
            upload.source_app_id = Some(step.source_id.clone());
            upload.worker_tag = detail.worker_tag.clone().filter(|t| !t.is_empty());
            target.workflows().upload_workflow(upload).await.map(Some).map_err(|e| format!("publish: {e}"))
        }
    }
}

fn report(context: &Context, steps: &[Step], (from, to): (&str, &str), dry_run: bool) {
    if context.out.json {
        context.out.json(&serde_json::json!({
            "from": from,
            "to": to,
            "dry_run": dry_run,
            "workflows": steps,
        }));
        return;
    }
    if dry_run {
        println!("the plan (nothing is changed):");
    }
    let rows: Vec<serde_json::Value> = steps.iter().map(|s| serde_json::to_value(s).unwrap_or_default()).collect();
    println!(
        "{}",
        crate::output::table(
            &rows,
            &[
                ("SOURCE ID", "source_id"),
                ("NAME", "name"),
                ("OWNER", "owner"),
                ("ACTION", "action"),
                ("REPLACES", "replaces"),
                ("RESULT", "result"),
                ("TARGET", "target_id"),
                ("ERROR", "error"),
            ],
        )
    );
    for step in steps {
        for r in &step.replaced {
            println!("{}: replaced `{}` {} time(s) in {}", step.source_id, r.value, r.count, r.file);
        }
    }
    if steps.is_empty() {
        println!("nothing to migrate");
    }
}

fn finish(steps: &[Step]) -> Result<(), CliError> {
    let failed = steps.iter().filter(|s| s.result == "failed").count();
    match failed {
        0 => Ok(()),
        n if n == steps.len() => {
            Err(CliError::Exit { message: format!("all {n} workflow(s) failed to migrate"), code: exit::API })
        }
        n => Err(CliError::Exit {
            message: format!("{n} of {} workflow(s) failed to migrate; run it again to retry them", steps.len()),
            code: exit::PARTIAL,
        }),
    }
}
