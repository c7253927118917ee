//! Profiles: where servers are and how to sign in to them. The file is TOML in the platform's
//! config directory (`~/.config/ayx/config.toml` on Linux; `AYX_CONFIG` or `--config` name
//! another); the environment (`AYX_URL`, `AYX_KEY`, `AYX_SECRET`, `AYX_SECRET_FILE`,
//! `AYX_PROFILE`) overrides it or stands in for it. A secret is kept inline (the file is then
//! written readable by its owner only, and refused when others can read it, as ssh refuses a key)
//! or in a file of its own (`secret_file`, checked the same way). Secrets are never printed.
//!
//! ```toml
//! default = "prod"
//!
//! [profiles.prod]
//! url = "https://alteryx.example.com/webapi"
//! key = "the API key"
//! secret_file = "/home/me/.ayx/prod.secret"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::exit::CliError;

/// The config file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The profile used when none is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One server and its credentials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The API's base URL, `https://<server>/webapi`.
    pub url: String,
    /// The API key (client id).
    pub key: String,
    /// The API secret, inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// A file holding the API secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_file: Option<PathBuf>,
    /// The OAuth2 token URL, when it is not `<url>/oauth2/token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    /// Allow a plain `http://` URL (local test servers only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure_http: bool,
    /// Certificate authorities to trust besides the system's (PEM), for a server whose
    /// certificate an in-house authority signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
}

/// Where a profile's secret comes from, for `config list` (never the secret itself).
pub fn secret_source(profile: &Profile) -> &'static str {
    match (&profile.secret, &profile.secret_file) {
        (Some(_), _) => "inline",
        (None, Some(_)) => "file",
        (None, None) => "none",
    }
}

/// The config file's path: `--config`, `AYX_CONFIG`, or the platform's config directory.
pub fn path(explicit: Option<&Path>) -> Result<PathBuf, CliError> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("AYX_CONFIG").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    dirs::config_dir()
        .map(|d| d.join("ayx").join("config.toml"))
        .ok_or_else(|| CliError::Config("no config directory on this system: set AYX_CONFIG".into()))
}

/// Reads the config file; a missing file is an empty config.
///
/// # Errors
///
/// An unreadable or invalid file, or one that holds a secret and that others can read.
pub fn load(path: &Path) -> Result<Config, CliError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(CliError::Config(format!("cannot read {}: {e}", path.display()))),
    };
    let config: Config = toml::from_str(&text)
        .map_err(|e| CliError::Config(format!("{} is not a valid config: {e}", path.display())))?;
    if config.profiles.values().any(|p| p.secret.is_some()) {
        private(path, "holds an API secret")?;
    }
    Ok(config)
}

/// Writes the config file readable and writable by its owner only (written beside, then moved
/// into place, so a failure leaves the old file).
pub fn save(path: &Path, config: &Config) -> Result<(), CliError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| CliError::io(format!("cannot create {}", dir.display()), e))?;
    let text = toml::to_string_pretty(config).map_err(|e| CliError::Config(format!("cannot write the config: {e}")))?;
    crate::files::replace(path, text.as_bytes(), true)
        .map_err(|e| CliError::io(format!("cannot write {}", path.display()), e))
}

/// Refuses a file that holds a secret when its group or others may read or write it.
#[cfg(unix)]
fn private(path: &Path, what: &str) -> Result<(), CliError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| CliError::Config(format!("cannot read {}: {e}", path.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(CliError::Config(format!(
            "{} {what} and others can read it (mode {:03o}); make it private: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn private(_: &Path, _: &str) -> Result<(), CliError> {
    Ok(())
}

/// A connection ready to use: where, and the credentials.
#[derive(Clone)]
pub struct Connection {
    /// The profile's name, or `environment` when it came from the environment alone.
    pub profile: String,
    /// The API base URL.
    pub url: String,
    /// The API key.
    pub key: String,
    /// The API secret.
    pub secret: String,
    /// The token URL override.
    pub token_url: Option<String>,
    /// Whether `http://` is allowed.
    pub insecure_http: bool,
    /// The profile's certificate authorities (PEM).
    pub ca_file: Option<PathBuf>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("profile", &self.profile)
            .field("url", &self.url)
            .field("key", &self.key)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// The environment's say, read once (tests pass their own).
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// `AYX_PROFILE`.
    pub profile: Option<String>,
    /// `AYX_URL`.
    pub url: Option<String>,
    /// `AYX_KEY`.
    pub key: Option<String>,
    /// `AYX_SECRET`.
    pub secret: Option<String>,
    /// `AYX_SECRET_FILE`.
    pub secret_file: Option<PathBuf>,
}

impl Environment {
    /// The process environment.
    pub fn read() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Environment {
            profile: var("AYX_PROFILE"),
            url: var("AYX_URL"),
            key: var("AYX_KEY"),
            secret: var("AYX_SECRET"),
            secret_file: var("AYX_SECRET_FILE").map(PathBuf::from),
        }
    }
}

/// The connection for `profile` (or `AYX_PROFILE`, or the config's default, or its only
/// profile), with the environment's values over the profile's.
///
/// # Errors
///
/// A named profile that does not exist, no URL or key, or no secret anywhere.
pub fn resolve(config: &Config, profile: Option<&str>, env: &Environment) -> Result<Connection, CliError> {
    let wanted = profile.map(str::to_string).or_else(|| env.profile.clone());
    let chosen = match &wanted {
        Some(name) => Some((
            name.clone(),
            config.profiles.get(name).ok_or_else(|| {
                let known: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
                CliError::Config(format!(
                    "no profile named `{name}` (profiles: {}); add one with `ayx config add {name} --url ... --key ...`",
                    if known.is_empty() { "none".into() } else { known.join(", ") }
                ))
            })?,
        )),
        None => match (&config.default, config.profiles.len()) {
            (Some(name), _) => config.profiles.get(name).map(|p| (name.clone(), p)),
            (None, 1) => config.profiles.iter().next().map(|(n, p)| (n.clone(), p)),
            _ => None,
        },
    };
    let (name, base) = match chosen {
        Some((name, p)) => (name, Some(p)),
        None => ("environment".to_string(), None),
    };
    let pick = |env: &Option<String>, profile: Option<&String>| env.clone().or_else(|| profile.cloned());
    let url = pick(&env.url, base.map(|p| &p.url)).filter(|u| !u.is_empty()).ok_or_else(|| {
        CliError::Config(
            "no server: add a profile (`ayx config add NAME --url https://SERVER/webapi --key KEY --secret-stdin`) or set AYX_URL, AYX_KEY and AYX_SECRET"
                .into(),
        )
    })?;
    let key = pick(&env.key, base.map(|p| &p.key))
        .filter(|k| !k.is_empty())
        .ok_or_else(|| CliError::Config(format!("no API key for `{name}`: set `key` in the profile or AYX_KEY")))?;
    let secret = match (&env.secret, &env.secret_file, base) {
        (Some(secret), _, _) => secret.clone(),
        (None, Some(file), _) => read_secret(file)?,
        (None, None, Some(Profile { secret: Some(secret), .. })) => secret.clone(),
        (None, None, Some(Profile { secret_file: Some(file), .. })) => read_secret(file)?,
        _ => {
            return Err(CliError::Config(format!(
                "no API secret for `{name}`: set AYX_SECRET or AYX_SECRET_FILE, or store one with `ayx config add {name} ... --secret-stdin` (or --secret-file)"
            )));
        }
    };
    Ok(Connection {
        profile: name,
        url,
        key,
        secret,
        token_url: base.and_then(|p| p.token_url.clone()),
        insecure_http: base.is_some_and(|p| p.insecure_http),
        ca_file: base.and_then(|p| p.ca_file.clone()),
    })
}

/// A secret kept in a file of its own (its first line), which must be private.
fn read_secret(file: &Path) -> Result<String, CliError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| CliError::Config(format!("cannot read the secret file {}: {e}", file.display())))?;
    private(file, "holds an API secret")?;
    let secret = text.lines().next().unwrap_or_default().trim().to_string();
    if secret.is_empty() {
        return Err(CliError::Config(format!("the secret file {} is empty", file.display())));
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(url: &str, secret: Option<&str>) -> Profile {
        Profile { url: url.into(), key: "k".into(), secret: secret.map(str::to_string), ..Profile::default() }
    }

    #[test]
    fn profiles_resolve_with_the_environment_on_top() {
        let mut config = Config::default();
        config.profiles.insert("dev".into(), profile("https://dev/webapi", Some("s1")));
        config.profiles.insert("prod".into(), profile("https://prod/webapi", Some("s2")));
        let env = Environment::default();
        assert!(resolve(&config, None, &env).is_err(), "two profiles, no default");
        config.default = Some("prod".into());
        assert_eq!(resolve(&config, None, &env).unwrap().url, "https://prod/webapi");
        assert_eq!(resolve(&config, Some("dev"), &env).unwrap().secret, "s1");
        let env =
            Environment { secret: Some("from-env".into()), profile: Some("dev".into()), ..Environment::default() };
        let c = resolve(&config, None, &env).unwrap();
        assert_eq!((c.profile.as_str(), c.secret.as_str()), ("dev", "from-env"));
        let err = resolve(&config, Some("qa"), &env).unwrap_err().to_string();
        assert!(err.contains("no profile named `qa` (profiles: dev, prod)"), "{err}");
        let env = Environment {
            url: Some("https://env/webapi".into()),
            key: Some("k".into()),
            secret: Some("s".into()),
            ..Environment::default()
        };
        assert_eq!(resolve(&Config::default(), None, &env).unwrap().profile, "environment");
        assert!(!format!("{:?}", resolve(&Config::default(), None, &env).unwrap()).contains("\"s\""));
    }

    #[test]
    fn a_profile_without_a_secret_says_where_to_put_one() {
        let mut config = Config::default();
        config.profiles.insert("dev".into(), profile("https://dev/webapi", None));
        let err = resolve(&config, None, &Environment::default()).unwrap_err();
        assert!(err.to_string().contains("no API secret for `dev`"), "{err}");
        assert_eq!(err.code(), crate::exit::CONFIG);
    }
}
