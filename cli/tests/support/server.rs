//! A fake Alteryx Server on 127.0.0.1 for the CLI's end-to-end tests: OAuth2 client credentials,
//! and the V3 (and admin v1, user v2) endpoints the commands call, over an in-memory model that
//! the tests seed and inspect. Jobs move from Queued through Running to their scripted end as
//! they are polled. Every request is logged (`METHOD /path?query`).

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

/// The API key and secret the fake server accepts.
pub const KEY: &str = "the-key";
pub const SECRET: &str = "the-secret";
const TOKEN: &str = "fake-access-token";

/// How a scripted job ends.
#[derive(Debug, Clone)]
pub struct JobScript {
    /// Reads before the job is final (it reports Queued, then Running).
    pub polls: u32,
    /// The final status.
    pub status: &'static str,
    /// The final disposition.
    pub disposition: Option<&'static str>,
    /// `(status code, text)` messages.
    pub messages: Vec<(i64, &'static str)>,
    /// `(id, file name, formats, contents)` outputs.
    pub outputs: Vec<(&'static str, &'static str, Vec<&'static str>, Vec<u8>)>,
}

impl JobScript {
    /// A job that completes successfully after two reads with one output.
    pub fn success() -> Self {
        JobScript {
            polls: 2,
            status: "Completed",
            disposition: Some("Success"),
            messages: vec![(1, "Input: 3 records read"), (4, "Finished in 1.2 seconds")],
            outputs: vec![("out-1", r"C:\Temp\results.csv", vec!["Csv", "Yxdb"], b"region,total\nEMEA,42\n".to_vec())],
        }
    }
}

/// The fake server's world.
#[derive(Default)]
pub struct World {
    /// Workflow objects by id (WorkflowDetail shape).
    pub workflows: BTreeMap<String, Value>,
    /// Package bytes by workflow id.
    pub packages: HashMap<String, Vec<u8>>,
    /// Questions by workflow id.
    pub questions: HashMap<String, Value>,
    /// How a job of each workflow ends.
    pub scripts: HashMap<String, JobScript>,
    /// Jobs by id: `(workflow id, reads so far)`.
    pub jobs: BTreeMap<String, (String, u32)>,
    /// Bodies of the job creations.
    pub job_requests: Vec<Value>,
    /// Input files received: `(file name, bytes)`.
    pub input_files: Vec<(String, Vec<u8>)>,
    /// Uploaded workflows: `(form fields, package bytes)`.
    pub uploads: Vec<(BTreeMap<String, String>, Vec<u8>)>,
    /// Every request, `METHOD /path?query`.
    pub log: Vec<String>,
    /// Token requests made.
    pub token_requests: usize,
}

/// A running fake server.
#[derive(Clone)]
pub struct FakeServer {
    /// `http://127.0.0.1:PORT/webapi`.
    pub url: String,
    pub world: Arc<Mutex<World>>,
}

impl FakeServer {
    /// Starts a server with the given world.
    pub async fn start(world: World) -> FakeServer {
        let world = Arc::new(Mutex::new(world));
        let app = axum::Router::new().fallback(handle).with_state(world.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeServer { url: format!("http://{addr}/webapi"), world }
    }

    /// The requests so far.
    pub fn log(&self) -> Vec<String> {
        self.world.lock().unwrap().log.clone()
    }

    /// How many requests match `prefix` (`GET /webapi/v3/jobs/`).
    pub fn count(&self, prefix: &str) -> usize {
        self.log().iter().filter(|l| l.starts_with(prefix)).count()
    }
}

/// A world with one analytic app (`app-1`, questions Region and Customers) and one plain
/// workflow (`wf-plain`), each with a package.
pub fn sample_world() -> World {
    let mut world = World::default();
    for (id, name) in [("app-1", "Sales by region"), ("wf-plain", "Nightly load")] {
        world.workflows.insert(id.into(), workflow(id, name));
        world.packages.insert(id.into(), format!("PK\x03\x04 package of {id}").into_bytes());
        world.scripts.insert(id.into(), JobScript::success());
    }
    world.questions.insert(
        "app-1".into(),
        json!([
            {"name": "Region", "questionType": "QuestionTextBox", "description": "Which region", "value": null},
            {"name": "Customers", "questionType": "QuestionFileBrowse", "description": "Customer file", "value": null},
            {"name": "Top", "questionType": "QuestionNumericUpDown", "value": "10"}
        ]),
    );
    world
}

/// A workflow object as servers send it.
pub fn workflow(id: &str, name: &str) -> Value {
    json!({
        "id": id, "sourceAppId": "", "name": name, "ownerId": "owner-1", "dateCreated": "2026-01-15T10:30:00Z",
        "runCount": 3, "publishedVersionId": format!("{id}-v2"), "isPublic": false, "isReadyForMigration": false,
        "executionMode": "Standard", "workerTag": "", "comments": "",
        "versions": [
            {"versionId": format!("{id}-v1"), "versionNumber": 1, "dateCreated": "2026-01-01T00:00:00Z", "published": false, "uploadSource": "Designer", "packageWorkflowType": "App", "comments": "first"},
            {"versionId": format!("{id}-v2"), "versionNumber": 2, "dateCreated": "2026-01-15T10:30:00Z", "published": true, "uploadSource": "Direct", "packageWorkflowType": "App", "comments": "second"}
        ]
    })
}

fn reply(status: u16, content_type: &str, body: impl Into<Body>) -> Response {
    Response::builder().status(status).header(header::CONTENT_TYPE, content_type).body(body.into()).unwrap()
}

fn json_reply(status: u16, value: Value) -> Response {
    reply(status, "application/json", value.to_string())
}

fn not_found() -> Response {
    json_reply(404, json!({"message": "not found"}))
}

async fn handle(State(world): State<Arc<Mutex<World>>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 256 << 20).await.unwrap_or_default().to_vec();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().unwrap_or_default().to_string();
    world.lock().unwrap().log.push(format!(
        "{} {}{}",
        parts.method,
        path,
        if query.is_empty() { String::new() } else { format!("?{query}") }
    ));
    let Some(rest) = path.strip_prefix("/webapi") else { return not_found() };
    if parts.method == Method::POST && rest == "/oauth2/token" {
        return token(&world, &body);
    }
    if parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {TOKEN}")) {
        return json_reply(401, json!({"message": "unauthorized"}));
    }
    let segments: Vec<&str> = rest.trim_matches('/').split('/').collect();
    let form = multipart(&parts.headers, &body).await;
    let mut world = world.lock().unwrap();
    route(&mut world, &parts.method, &segments, &query, form, body)
}

fn token(world: &Arc<Mutex<World>>, body: &[u8]) -> Response {
    world.lock().unwrap().token_requests += 1;
    let form = String::from_utf8_lossy(body);
    let ok = form.contains(&format!("client_id={KEY}")) && form.contains(&format!("client_secret={SECRET}"));
    if !ok {
        return json_reply(401, json!({"error": "invalid_client"}));
    }
    json_reply(200, json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600}))
}

fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.replace('+', " "))
    })
}

/// The text fields and the file of a multipart body (empty for other bodies).
type Form = (BTreeMap<String, String>, Vec<u8>);

fn route(world: &mut World, method: &Method, segments: &[&str], query: &str, form: Form, body: Vec<u8>) -> Response {
    match (method.as_str(), segments) {
        ("GET", ["v3", "workflows"]) => {
            let name = query_value(query, "name");
            let list: Vec<Value> = world
                .workflows
                .values()
                .filter(|w| name.as_deref().is_none_or(|n| w["name"].as_str().unwrap_or_default().contains(n)))
                .map(|w| json!({"id": w["id"], "name": w["name"], "ownerId": w["ownerId"], "dateCreated": w["dateCreated"], "publishedVersionNumber": 2, "executionMode": w["executionMode"], "sourceAppId": w["sourceAppId"]}))
                .collect();
            json_reply(200, Value::Array(list))
        }
        ("POST", ["v3", "workflows"]) => {
            let (fields, file) = form;
            let id = format!("wf-new-{}", world.uploads.len() + 1);
            let name = fields.get("name").cloned().unwrap_or_default();
            world.workflows.insert(id.clone(), workflow(&id, &name));
            world.packages.insert(id.clone(), file.clone());
            world.uploads.push((fields, file));
            json_reply(200, json!(id))
        }
        ("GET", ["v3", "workflows", id]) => match world.workflows.get(*id) {
            Some(w) => json_reply(200, w.clone()),
            None => not_found(),
        },
        ("GET", ["v3", "workflows", id, "package"]) => match world.packages.get(*id) {
            Some(bytes) => reply(200, "application/octet-stream", bytes.clone()),
            None => not_found(),
        },
        ("GET", ["v3", "workflows", id, "questions"]) => match world.questions.get(*id) {
            Some(q) => json_reply(200, q.clone()),
            None if world.workflows.contains_key(*id) => json_reply(200, json!([])),
            None => not_found(),
        },
        ("POST", ["v3", "workflows", id, "jobs"]) => {
            if !world.workflows.contains_key(*id) {
                return not_found();
            }
            let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            world.job_requests.push(request);
            let job_id = format!("job-{}", world.jobs.len() + 1);
            world.jobs.insert(job_id.clone(), (id.to_string(), 0));
            json_reply(200, json!({"id": job_id, "appId": id, "status": "Queued", "priority": "Default"}))
        }
        ("GET", ["v3", "workflows", id, "jobs"]) => {
            let jobs: Vec<Value> = world
                .jobs
                .iter()
                .filter(|(_, (w, _))| w == id)
                .map(|(job_id, _)| json!({"id": job_id, "createDate": "2026-01-15T10:30:00Z", "status": "Completed", "priority": "Default"}))
                .collect();
            let offset: usize = query_value(query, "offset").and_then(|o| o.parse().ok()).unwrap_or(0);
            let limit: usize = query_value(query, "limit").and_then(|o| o.parse().ok()).unwrap_or(100);
            json_reply(200, Value::Array(jobs.into_iter().skip(offset).take(limit).collect()))
        }
        ("GET", ["v3", "jobs", id]) => {
            let Some((workflow, reads)) = world.jobs.get_mut(*id) else { return not_found() };
            *reads += 1;
            let (workflow, reads) = (workflow.clone(), *reads);
            let script = world.scripts.get(&workflow).cloned().unwrap_or_else(JobScript::success);
            json_reply(
                200,
                job_json(
                    id,
                    &workflow,
                    &script,
                    reads,
                    query_value(query, "includeMessages").as_deref() != Some("false"),
                ),
            )
        }
        ("GET", ["v3", "jobs", id, "messages"]) => {
            let Some((workflow, _)) = world.jobs.get(*id) else { return not_found() };
            let script = world.scripts.get(workflow).cloned().unwrap_or_else(JobScript::success);
            json_reply(200, messages_json(&script))
        }
        ("GET", ["v1", "jobs", id, "output", output]) => {
            let Some((workflow, _)) = world.jobs.get(*id) else { return not_found() };
            let script = world.scripts.get(workflow).cloned().unwrap_or_else(JobScript::success);
            let format = query_value(query, "format").unwrap_or_default();
            match script.outputs.iter().find(|(o, ..)| o == output) {
                Some((_, _, formats, bytes)) if formats.iter().any(|f| *f == format) => {
                    reply(200, "application/octet-stream", bytes.clone())
                }
                Some(_) => json_reply(400, json!({"message": format!("unknown format {format}")})),
                None => not_found(),
            }
        }
        ("POST", ["user", "v2", "inputfiles"]) => {
            let (_, file) = form;
            world.input_files.push(("inputFile".into(), file));
            reply(200, "text/plain", format!("ref-{}", world.input_files.len()))
        }
        _ => not_found(),
    }
}

/// A job as the server reports it after `reads` reads.
fn job_json(id: &str, workflow: &str, script: &JobScript, reads: u32, with_messages: bool) -> Value {
    let done = reads > script.polls;
    let status = if done {
        script.status
    } else if reads <= 1 {
        "Queued"
    } else {
        "Running"
    };
    let mut job = json!({"id": id, "appId": workflow, "createDateTime": "2026-01-15T10:30:00Z", "status": status, "priority": "Default", "workerTag": ""});
    if done {
        job["disposition"] = json!(script.disposition);
        job["outputs"] = Value::Array(
            script
                .outputs
                .iter()
                .map(|(o, name, formats, _)| json!({"id": o, "fileName": name, "availableFormats": formats}))
                .collect(),
        );
        if with_messages {
            job["messages"] = messages_json(script);
        }
    }
    job
}

fn messages_json(script: &JobScript) -> Value {
    Value::Array(script.messages.iter().map(|(s, t)| json!({"status": s, "text": t, "toolId": 3})).collect())
}

/// The text fields and the file of a multipart body (empty for other bodies).
pub async fn multipart(headers: &HeaderMap, body: &[u8]) -> Form {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let Ok(boundary) = multer::parse_boundary(content_type) else { return Default::default() };
    let mut form = multer::Multipart::new(once(bytes::Bytes::copy_from_slice(body)), boundary);
    let (mut fields, mut file) = (BTreeMap::new(), Vec::new());
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = field.file_name().is_some();
        let data = field.bytes().await.unwrap_or_default();
        if is_file {
            file = data.to_vec();
        } else {
            fields.insert(name, String::from_utf8_lossy(&data).into_owned());
        }
    }
    (fields, file)
}

fn once(body: bytes::Bytes) -> impl futures_core::Stream<Item = Result<bytes::Bytes, std::io::Error>> {
    struct Once(Option<bytes::Bytes>);
    impl futures_core::Stream for Once {
        type Item = Result<bytes::Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.take().map(Ok))
        }
    }
    Once(Some(body))
}

/// An HTTP status as a number.
pub fn status(code: StatusCode) -> u16 {
    code.as_u16()
}
