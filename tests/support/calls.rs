//! Every operation of the generated client, called once with valid arguments: the contract suite
//! runs it against Prism, the vendor-shapes test against a server answering the vendor's shapes.
//! Each answer is handed on as the JSON form of the typed value the client decoded (a download as
//! its length), so that a caller can compare it with what the server sent.

use std::path::Path;

use alteryx_server::operations::*;
use alteryx_server::types::*;
use alteryx_server::{Client, Error, FilePart, PollOptions};
use serde::Serialize;
use serde_json::{Value, json};

/// The JSON form of a decoded answer.
fn value<T: Serialize>(decoded: T) -> Value {
    serde_json::to_value(decoded).expect("every response type serializes")
}

/// A fixed point in time, for request bodies.
pub fn start() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2027-01-15T10:30:00Z").unwrap().to_utc()
}

/// The id every call uses.
pub const ID: &str = "6512a7c3e4b0a1b2c3d4e5f6";

fn iteration() -> ScheduleIteration {
    let mut it = ScheduleIteration::new(IterationType::Daily, start());
    it.end_time = Some(start() + chrono::Duration::days(30));
    let mut daily = IterationDailyContract::new();
    daily.run_only_work_week = Some(true);
    it.daily_contract = Some(daily);
    it
}

fn permissions() -> CollectionPermissionFlags {
    let mut flags = CollectionPermissionFlags::new();
    flags.can_add_assets = Some(true);
    flags.is_admin = Some(false);
    flags
}

fn dcm_source() -> DcmDataSourceWrapper {
    let mut source = DcmDataSourceContract::new("Warehouse".into(), "odbc".into(), Default::default());
    source.host = Some("warehouse.example.com".into());
    DcmDataSourceWrapper::new(source)
}

/// Calls every operation once; `record` gets each operation id with what came back.
pub async fn call_every_operation(
    c: &Client,
    file: &Path,
    record: &mut (dyn FnMut(&'static str, Result<Value, Error>) + Send),
) {
    let id = ID;
    let file = || FilePart::from_path(file);
    let bytes = |download: Result<alteryx_server::ByteStream, Error>| async move {
        match download {
            Ok(stream) => stream.collect().await.map(|b| json!(b.len())),
            Err(e) => Err(e),
        }
    };

    // Workflows
    let w = c.workflows();
    record("getWorkflows", w.get_workflows(GetWorkflowsOptions::default().view(View::Full)).await.map(value));
    let upload = UploadWorkflowRequest::new(UploadWorkflowRequestRequired {
        file: file(),
        name: "Contract flow".into(),
        owner_id: id.into(),
        is_public: false,
        is_ready_for_migration: true,
        others_may_download: true,
        others_can_execute: false,
        execution_mode: ExecutionMode::Standard,
        workflow_credential_type: WorkflowCredentialType::Default,
    });
    record("uploadWorkflow", w.upload_workflow(upload).await.map(value));
    record("getWorkflow", w.get_workflow(id).await.map(value));
    let update = UpdateWorkflowContract::new(UpdateWorkflowContractRequired {
        name: "Renamed".into(),
        version_id: id.into(),
        make_published: true,
        owner_id: id.into(),
        worker_tag: String::new(),
        district_tags: vec!["emea".into()],
        comments: "updated by the contract test".into(),
        is_public: false,
        is_ready_for_migration: false,
        others_may_download: true,
        others_can_execute: true,
        execution_mode: ExecutionMode::Standard,
        workflow_credential_type: WorkflowCredentialType::Default,
        credential_id: String::new(),
    });
    record("updateWorkflow", w.update_workflow(id, &update).await.map(value));
    record("deleteWorkflow", w.delete_workflow(id, DeleteWorkflowOptions::default().force(false)).await.map(value));
    let version = UploadWorkflowVersionRequest::new(UploadWorkflowVersionRequestRequired {
        file: file(),
        name: "Contract flow v2".into(),
        owner_id: id.into(),
        others_may_download: true,
        others_can_execute: true,
        execution_mode: ExecutionMode::Safe,
        make_published: true,
        workflow_credential_type: WorkflowCredentialType::Default,
    });
    record("uploadWorkflowVersion", w.upload_workflow_version(id, version).await.map(value));
    let package = w.download_workflow_package(id, DownloadWorkflowPackageOptions::default()).await;
    record("downloadWorkflowPackage", bytes(package).await);
    let questions = w.get_workflow_questions(id, GetWorkflowQuestionsOptions::default()).await;
    record("getWorkflowQuestions", questions.map(value));
    let transfer = w.transfer_workflow(id, &TransferWorkflowRequest::new(id.into(), true)).await;
    record("transferWorkflow", transfer.map(value));

    // Schedules
    let s = c.schedules();
    record("getSchedules", s.get_schedules(GetSchedulesOptions::default()).await.map(value));
    let mut create = CreateScheduleContract::new(id.into(), iteration());
    create.name = Some("Nightly".into());
    record("createSchedule", s.create_schedule(&create).await.map(value));
    record("getSchedule", s.get_schedule(id).await.map(value));
    let update = UpdateScheduleContract::new(UpdateScheduleContractRequired {
        workflow_id: id.into(),
        owner_id: id.into(),
        iteration: iteration(),
        name: "Nightly".into(),
        comment: "moved".into(),
        priority: Priority::Default,
        worker_tag: String::new(),
        enabled: true,
        credential_id: String::new(),
    });
    record("updateSchedule", s.update_schedule(id, &update).await.map(value));
    record("deleteSchedule", s.delete_schedule(id).await.map(value));
    let mut patch = PatchScheduleContract::new();
    patch.name = Some("Renamed schedule".into());
    record("patchSchedule", s.patch_schedule(id, &patch).await.map(value));

    // Users
    let u = c.users();
    record("getUsers", u.get_users(GetUsersOptions::default()).await.map(value));
    let user = CreateUserContract::new("Ada".into(), "Lovelace".into(), "ada@example.com".into());
    record("createUser", u.create_user(&user).await.map(value));
    record("getUser", u.get_user(id).await.map(value));
    let mut update = UpdateUserContract::new(UpdateUserContractRequired {
        email: "ada@example.com".into(),
        role: Role::Artisan,
        default_worker_tag: String::new(),
        can_schedule_jobs: true,
        can_prioritize_jobs: false,
        can_assign_jobs: false,
        can_create_collections: true,
        is_api_enabled: true,
        default_credential_id: String::new(),
        is_account_locked: false,
        is_active: true,
        is_validated: true,
        time_zone: "UTC".into(),
        language: UpdateUserContractLanguage::EnUs,
    });
    update.first_name = Some("Ada".into());
    update.last_name = Some("Lovelace".into());
    record("updateUser", u.update_user(id, &update).await.map(value));
    record("deleteUser", u.delete_user(id).await.map(value));
    record("deactivateUser", u.deactivate_user(id).await.map(value));
    record("resetUserPassword", u.reset_user_password(id).await.map(value));
    record("getUserAssets", u.get_user_assets(id, GetUserAssetsOptions::default()).await.map(value));
    let transfer = TransferUserAssetsRequest::new(TransferUserAssetsRequestRequired {
        owner_id: id.into(),
        transfer_workflows: true,
        transfer_schedules: true,
        transfer_collections: false,
    });
    record("transferUserAssets", u.transfer_user_assets(id, &transfer).await.map(value));

    // Credentials
    let cr = c.credentials();
    record("getCredentials", cr.get_credentials(GetCredentialsOptions::default()).await.map(value));
    let credential = CreateCredentialRequest::new("svc-etl".into(), "s3cret!".into());
    record("createCredential", cr.create_credential(&credential).await.map(value));
    record("getCredential", cr.get_credential(id).await.map(value));
    let update = UpdateCredentialRequest::new("svc-etl".into(), "n3w-s3cret!".into());
    record("updateCredential", cr.update_credential(id, &update).await.map(value));
    record("deleteCredential", cr.delete_credential(id, DeleteCredentialOptions::default()).await.map(value));
    let share = ShareCredentialWithUserRequest::new(id.into());
    record("shareCredentialWithUser", cr.share_credential_with_user(id, &share).await.map(value));
    record("removeCredentialUserAccess", cr.remove_credential_user_access(id, id).await.map(value));
    let share = ShareCredentialWithUserGroupRequest::new(id.into());
    record("shareCredentialWithUserGroup", cr.share_credential_with_user_group(id, &share).await.map(value));
    let removed = cr.remove_credential_user_group_access(id, id).await;
    record("removeCredentialUserGroupAccess", removed.map(value));

    // Collections
    let co = c.collections();
    record("getCollections", co.get_collections(GetCollectionsOptions::default()).await.map(value));
    let created = co.create_collection(&CreateCollectionRequest::new("Finance".into())).await;
    record("createCollection", created.map(value));
    record("getCollection", co.get_collection(id).await.map(value));
    let update = UpdateCollectionRequest::new("Finance EMEA".into(), id.into());
    record("updateCollection", co.update_collection(id, &update).await.map(value));
    record("deleteCollection", co.delete_collection(id, DeleteCollectionOptions::default()).await.map(value));
    let mut member = CollectionUserPermission::new(id.into(), permissions());
    member.expiration_date = Some(start());
    record("addUserToCollection", co.add_user_to_collection(id, &member).await.map(value));
    let change = UpdateCollectionPermissionsContract::new(permissions());
    let updated = co.update_collection_user_permissions(id, id, &change).await;
    record("updateCollectionUserPermissions", updated.map(value));
    record("removeUserFromCollection", co.remove_user_from_collection(id, id).await.map(value));
    let group = AddUserGroupToCollectionRequest::new(id.into(), permissions());
    record("addUserGroupToCollection", co.add_user_group_to_collection(id, &group).await.map(value));
    let updated = co.update_collection_user_group_permissions(id, id, &change).await;
    record("updateCollectionUserGroupPermissions", updated.map(value));
    let removed = co.remove_user_group_from_collection(id, id).await;
    record("removeUserGroupFromCollection", removed.map(value));
    let workflow = AddWorkflowToCollectionRequest::new(id.into());
    record("addWorkflowToCollection", co.add_workflow_to_collection(id, &workflow).await.map(value));
    let schedule = AddScheduleToCollectionRequest::new(id.into());
    record("addScheduleToCollection", co.add_schedule_to_collection(id, &schedule).await.map(value));
    let removed = co.remove_schedule_from_collection(id, id).await;
    record("removeScheduleFromCollection", removed.map(value));
    let removed = co.remove_workflow_from_collection(id, id).await;
    record("removeWorkflowFromCollection", removed.map(value));

    // Jobs
    let j = c.jobs();
    let jobs = j.get_workflow_jobs(id, GetWorkflowJobsOptions::default().offset("0".into()).limit("10".into()));
    record("getWorkflowJobs", jobs.await.map(value));
    let mut job = CreateJobContract::new();
    job.priority = Some(Priority::High);
    record("createJob", j.create_job(id, &job).await.map(value));
    record("getJob", j.get(id, GetJobOptions::default().include_messages(true)).await.map(value));
    record("getJobMessages", j.get_messages(id).await.map(value));
    record("getJobOutput", bytes(j.download_output(id, id, "Raw").await).await);

    // User groups
    let g = c.user_groups();
    record("getUserGroups", g.get_user_groups().await.map(value));
    let create = CreateUserGroupContract::new("Finance analysts".into(), Role::Artisan);
    record("createUserGroup", g.create_user_group(&create).await.map(value));
    record("getUserGroup", g.get_user_group(id).await.map(value));
    let update = UpdateUserGroupContract::new("Finance analysts".into(), Role::Member);
    record("updateUserGroup", g.update_user_group(id, &update).await.map(value));
    let deleted = g.delete_user_group(id, DeleteUserGroupOptions::default().force_delete(false)).await;
    record("deleteUserGroup", deleted.map(value));
    record("addUsersToUserGroup", g.add_users_to_user_group(id, &[id.to_string()]).await.map(value));
    record("removeUserFromUserGroup", g.remove_user_from_user_group(id, id).await.map(value));
    let sid = "S-1-5-21-3623811015-3361044348-30300820-1013";
    let added = g.add_active_directory_group_to_user_group(id, sid).await;
    record("addActiveDirectoryGroupToUserGroup", added.map(value));
    let removed = g.remove_active_directory_group_from_user_group(id, sid).await;
    record("removeActiveDirectoryGroupFromUserGroup", removed.map(value));

    // Server data connections
    let sc = c.server_connections();
    let all = sc.get_server_data_connections(GetServerDataConnectionsOptions::default().view(View::Default)).await;
    record("getServerDataConnections", all.map(value));
    record("getServerDataConnection", sc.get_server_data_connection(id).await.map(value));
    let rename = UpdateServerConnectionContract::new("Warehouse (EMEA)".into());
    record("updateServerDataConnection", sc.update_server_data_connection(id, &rename).await.map(value));
    record("deleteServerDataConnection", sc.delete_server_data_connection(id).await.map(value));
    let user = AddServerConnectionUserContract::new(id.into());
    record("addUserToServerDataConnection", sc.add_user_to_server_data_connection(id, &user).await.map(value));
    let group = AddServerConnectionUserGroupContract::new(id.into());
    let added = sc.add_user_group_to_server_data_connection(id, &group).await;
    record("addUserGroupToServerDataConnection", added.map(value));
    let removed = sc.remove_user_from_server_data_connection(id, id).await;
    record("removeUserFromServerDataConnection", removed.map(value));
    let removed = sc.remove_user_group_from_server_data_connection(id, id).await;
    record("removeUserGroupFromServerDataConnection", removed.map(value));

    // Subscriptions
    let sub = c.subscriptions();
    let all = sub.get_subscriptions(GetSubscriptionsOptions::default().user_count_greater_than_equals(1)).await;
    record("getSubscriptions", all.map(value));
    let create = CreateSubscriptionContract::new("Finance".into());
    record("createSubscription", sub.create_subscription(&create).await.map(value));
    record("deleteSubscription", sub.delete_subscription(id).await.map(value));
    record("getSubscription", sub.get_subscription(id).await.map(value));
    let update = UpdateSubscriptionContract::new("Finance".into(), String::new(), true);
    record("updateSubscription", sub.update_subscription(id, &update).await.map(value));
    let users = MoveUsersContract::new(vec![id.into()]);
    record("moveUsersToSubscription", sub.move_users_to_subscription(id, &users).await.map(value));

    // DCM connections
    let d = c.dcm_connections();
    let upsert = DcmUpsertConnectionContract::new(
        "Warehouse".into(),
        "odbc".into(),
        Default::default(),
        dcm_source(),
        Default::default(),
    );
    record("upsertDcmConnection", d.upsert_connection(&upsert).await.map(value));
    record("lookupDcmConnection", d.lookup_connection(id).await.map(value));
    record("getDcmConnection", d.get_connection(id).await.map(value));
    record("deleteDcmConnection", d.delete_connection(id).await.map(value));
    let share = DcmShareForExecutionContract::new(vec![id.into()], vec![]);
    record("shareDcmConnectionForExecution", d.share_connection_for_execution(id, &share).await.map(value));
    record("unshareDcmConnectionForExecution", d.unshare_connection_for_execution(id).await.map(value));
    record("getDcmConnectionForConnect", c.dcm_connect().get_connection_for_connect(id).await.map(value));
    let a = c.dcm_admin();
    record("getDcmConnectionsAdmin", a.get_connections(GetDcmConnectionsAdminOptions::default()).await.map(value));
    let upsert = DcmUpsertConnectionAdminContract::new(DcmUpsertConnectionAdminContractRequired {
        owner_id: id.into(),
        name: "Warehouse".into(),
        schema_name: "odbc".into(),
        parameters: Default::default(),
        data_source: dcm_source(),
        credentials: Default::default(),
    });
    record("upsertDcmConnectionAdmin", a.upsert_connection(&upsert).await.map(value));
    record("getDcmConnectionAdmin", a.get_connection(id).await.map(value));
    record("deleteDcmConnectionAdmin", a.delete_connection(id).await.map(value));
    let unshared = a.unshare_connection_for_execution(id).await;
    record("unshareDcmConnectionForExecutionAdmin", unshared.map(value));
    let unshared = a.unshare_connection_for_collaboration(id).await;
    record("unshareDcmConnectionForCollaborationAdmin", unshared.map(value));
    let rule = DcmConnectionHandlingRule::new(id.into());
    record("upsertDcmConnectionHandlingRule", a.upsert_connection_handling_rule(&rule).await.map(value));
    record("deleteDcmConnectionHandlingRule", a.delete_connection_handling_rule(id).await.map(value));

    // Audit log, migration, input files
    record("getAuditLog", c.audit_log().get_events("User", 1, 50).await.map(value));
    let m = c.migration();
    let ready = m.get_migratable_workflows(GetMigratableWorkflowsOptions::default()).await;
    record("getMigratableWorkflows", ready.map(value));
    record("downloadMigrationPackage", bytes(m.download_package(id).await).await);
    let publish = PublishMigratedWorkflowRequest::new(PublishMigratedWorkflowRequestRequired {
        file: file(),
        name: "Contract flow".into(),
        owner: "ada@example.com".into(),
        validate: true,
        is_public: false,
        source_id: id.into(),
        worker_tag: String::new(),
        can_download: true,
    });
    record("publishMigratedWorkflow", m.publish(publish).await.map(value));
    record("toggleMigratable", m.toggle_migratable(id).await.map(value));
    let input = UploadInputFileRequest::new(file());
    record("uploadInputFile", c.input_files().upload_input_file(input).await.map(value));
}

/// Polls a job the way the contract suite does (a short interval, a timeout).
pub fn quick_poll<T: 'static>() -> PollOptions<T> {
    PollOptions::default()
        .interval(std::time::Duration::from_millis(50))
        .timeout(Some(std::time::Duration::from_secs(5)))
}
