//! Signing in: profiles in `$XDG_CONFIG_HOME/c1/config.toml` (default
//! `~/.config/c1/`), the client's environment variables, and the `auth`
//! commands (`login`, `status`, `token`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use c1_client::{Client, ClientBuilder, env};
use clap::{Arg, ArgMatches, Command};
use serde::{Deserialize, Serialize};

use crate::Failure;
use crate::output::{Ctx, Format, write_line};

/// The `User-Agent` the command line sends.
pub const USER_AGENT: &str = concat!("c1/", env!("CARGO_PKG_VERSION"));

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// The OAuth client id `c1 auth login` signs in with unless
/// `--oauth-client-id` or `C1_OAUTH_CLIENT_ID` gives another: the id of an
/// OAuth application registered with the tenant for device logins.
pub const OAUTH_CLIENT_ID: &str = "c1-cli";

/// The file of profiles.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Config {
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One way to sign in: a tenant and a personal client's credentials.
#[derive(Clone, Serialize, Deserialize)]
pub struct Profile {
    /// The tenant (`acme.conductor.one`) or server URL.
    pub tenant: String,
    /// The personal client's id.
    pub client_id: String,
    /// Its secret.
    pub client_secret: String,
}

impl std::fmt::Debug for Profile {
    /// The secret is not shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

/// Where the profiles are: `$XDG_CONFIG_HOME/c1/config.toml`, else
/// `$HOME/.config/c1/config.toml`.
pub fn path() -> Result<PathBuf, Failure> {
    Ok(dir()?.join("config.toml"))
}

/// `c1`'s own directory: `$XDG_CONFIG_HOME/c1`, else `$HOME/.config/c1`.
pub fn dir() -> Result<PathBuf, Failure> {
    Ok(user_config()?.join("c1"))
}

/// Where programs keep their users' configuration: `$XDG_CONFIG_HOME`,
/// else `$HOME/.config`.
pub fn user_config() -> Result<PathBuf, Failure> {
    std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .ok_or_else(|| Failure::config("neither XDG_CONFIG_HOME nor HOME is set".into()))
}

/// The profiles in `path`; none when the file does not exist.
pub fn load(path: &Path) -> Result<Config, Failure> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text)
            .map_err(|e| Failure::config(format!("{}: {}", path.display(), e.message()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(Failure::config(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// Writes `config` to `path`, readable by its owner only (mode 0600), through
/// a temporary file and a rename.
pub fn save(path: &Path, config: &Config) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::config(format!("cannot write {}: {e}", path.display()));
    let text = toml::to_string(config).map_err(|e| Failure::config(e.to_string()))?;
    crate::files::write_atomically(path, text.as_bytes(), crate::files::Mode::Exactly(0o600))
        .map_err(fail)
}

/// Whether the environment names credentials of its own.
fn env_has_credentials() -> bool {
    [
        env::ACCESS_TOKEN,
        env::OIDC_TOKEN,
        env::OIDC_TOKEN_FILE,
        env::CLIENT_ID,
    ]
    .iter()
    .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// The signed-in client: the named profile; else the environment's
/// credentials; else the default profile.
pub fn connect(profile: Option<&str>) -> Result<Client, Failure> {
    if profile.is_none() && env_has_credentials() {
        return Ok(ClientBuilder::from_env()?.user_agent(USER_AGENT).build()?);
    }
    let path = path()?;
    let config = load(&path)?;
    let name = profile.unwrap_or(DEFAULT_PROFILE);
    let Some(found) = config.profiles.get(name) else {
        return Err(Failure::config(match profile {
            Some(name) => format!("no profile `{name}` in {}", path.display()),
            None => format!(
                "not signed in: run `c1 auth login <tenant>`, or set {} (or {} and {}) and {}",
                env::ACCESS_TOKEN,
                env::CLIENT_ID,
                env::CLIENT_SECRET,
                env::TENANT_DOMAIN
            ),
        }));
    };
    Ok(Client::builder()
        .tenant(&found.tenant)
        .client_credentials(&found.client_id, &found.client_secret)
        .user_agent(USER_AGENT)
        .build()?)
}

/// A client that is not signed in, for `--dry-run` without credentials:
/// the server the environment names (as [`ClientBuilder::from_env`] reads
/// it), else the API's default server. It sends nothing; a dry run shows
/// its credential as `<redacted>`.
pub fn signed_out() -> Result<Client, Failure> {
    const PLACEHOLDER: &str = "signed-out";
    let lookup = |name: &str| match name {
        env::ACCESS_TOKEN => Some(PLACEHOLDER.to_string()),
        _ => std::env::var(name).ok(),
    };
    let builder = ClientBuilder::from_lookup(lookup)
        .unwrap_or_else(|_| Client::builder().bearer_token(PLACEHOLDER));
    Ok(builder.user_agent(USER_AGENT).build()?)
}

/// The `auth` commands, added to the API's own `auth` group.
pub fn commands() -> [Command; 3] {
    [
        Command::new("login")
            .about("Sign in at a tenant in a browser; creates a personal client and keeps it in the profile (mode 0600)")
            .arg(Arg::new("tenant").required(true).value_name("TENANT").help("The tenant: acme, acme.conductor.one or its URL"))
            .arg(Arg::new("oauth-client-id").long("oauth-client-id").value_name("ID").env("C1_OAUTH_CLIENT_ID").default_value(OAUTH_CLIENT_ID).help("The OAuth application that signs in by device code"))
            .arg(Arg::new("name").long("name").value_name("TEXT").help("The personal client's name, as C1 lists it")),
        Command::new("status").about("Who is signed in, at which tenant, and how"),
        Command::new("token").about("An access token for the signed-in client, for curl and the like"),
    ]
}

/// `c1 auth login TENANT`: a device login whose personal client is kept as
/// the profile.
pub async fn login(matches: &ArgMatches, profile: Option<&str>) -> Result<(), Failure> {
    let tenant = matches
        .get_one::<String>("tenant")
        .cloned()
        .unwrap_or_default();
    let oauth = matches
        .get_one::<String>("oauth-client-id")
        .cloned()
        .unwrap_or_default();
    let name = matches
        .get_one::<String>("name")
        .cloned()
        .unwrap_or_else(|| {
            format!(
                "c1 command line ({})",
                std::env::var("USER").unwrap_or_default()
            )
        });
    let client = Client::builder()
        .tenant(&tenant)
        .user_agent(USER_AGENT)
        .build()?;
    let created = client
        .device_login(oauth)
        .display_name(name)
        .run(|code| {
            eprintln!(
                "Open {} and check that it shows the code {}",
                code.verification_uri_complete, code.user_code
            );
            Ok(())
        })
        .await?;
    let path = path()?;
    let mut config = load(&path)?;
    let profile = profile.unwrap_or(DEFAULT_PROFILE).to_string();
    config.profiles.insert(
        profile.clone(),
        Profile {
            tenant,
            client_id: created.client_id().to_string(),
            client_secret: created.client_secret().to_string(),
        },
    );
    save(&path, &config)?;
    eprintln!(
        "Signed in as {}; kept as profile `{profile}` in {}",
        created.client_id(),
        path.display()
    );
    Ok(())
}

/// `c1 auth status`: who is signed in, where, and how; with `--dry-run`,
/// the request that asks.
pub async fn status(ctx: &Ctx, profile: Option<&str>) -> Result<(), Failure> {
    let client = ctx.client()?;
    let call = client.auth().introspect();
    if ctx.dry_run {
        return ctx.show(call).await;
    }
    let who = call.await?;
    let how = if profile.is_none() && env_has_credentials() {
        "environment".to_string()
    } else {
        format!("profile {}", profile.unwrap_or(DEFAULT_PROFILE))
    };
    let shown = serde_json::json!({
        "server": client.base_url().as_str(),
        "signed_in_by": how,
        "user_id": who.user_id,
        "principal_id": who.principle_id,
        "roles": who.roles,
    });
    ctx.print_answer(&shown)
}

/// `c1 auth token`: an access token, as text (as JSON with `-o json`).
pub async fn token(ctx: &Ctx) -> Result<(), Failure> {
    let token = ctx.client()?.access_token().await?;
    match ctx.format {
        Format::Json => write_line(&serde_json::json!({ "access_token": token }).to_string()),
        Format::Auto | Format::Table => write_line(&token),
    }
}
