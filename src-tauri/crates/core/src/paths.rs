//! Where Lambdesk keeps its files: the XDG config and data directories (falling back to `HOME`), so
//! a test or a second copy of the app can run isolated by pointing them elsewhere.

use std::path::{Path, PathBuf};

use crate::error::{AppError, ErrorKind};

const APP_DIR: &str = "lambdesk";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDirs {
    pub config: PathBuf,
    pub data: PathBuf,
}

impl AppDirs {
    pub fn from_env() -> Result<Self, AppError> {
        let var = |name: &str| std::env::var_os(name).map(PathBuf::from);
        let home = var("HOME").or_else(|| var("USERPROFILE"));
        Self::resolve(var("XDG_CONFIG_HOME"), var("XDG_DATA_HOME"), home)
    }

    /// XDG's rules: a variable counts only when it holds an absolute path.
    fn resolve(
        config_home: Option<PathBuf>,
        data_home: Option<PathBuf>,
        home: Option<PathBuf>,
    ) -> Result<Self, AppError> {
        let pick = |xdg: Option<PathBuf>, fallback: &[&str]| -> Result<PathBuf, AppError> {
            if let Some(dir) = xdg.filter(|dir| dir.is_absolute()) {
                return Ok(dir);
            }
            let home = home
                .as_deref()
                .filter(|dir| dir.is_absolute())
                .ok_or_else(|| {
                    AppError::new(
                        ErrorKind::Unknown,
                        "Lambdesk cannot tell where to keep its files: HOME is not set.",
                    )
                    .with_hint("Set HOME, or XDG_CONFIG_HOME and XDG_DATA_HOME, to absolute paths.")
                })?;
            Ok(fallback
                .iter()
                .fold(home.to_path_buf(), |dir, part| dir.join(part)))
        };
        Ok(Self {
            config: pick(config_home, &[".config"])?.join(APP_DIR),
            data: pick(data_home, &[".local", "share"])?.join(APP_DIR),
        })
    }

    /// Where the ledger of what Lambdesk created is kept.
    pub fn ledger(&self) -> PathBuf {
        self.data.join("ledger")
    }

    /// The Local sandbox's ledger, apart from the accounts' ledger: the sandbox keeps its state in
    /// memory, so what this lists is cleared whenever the app starts a new sandbox.
    pub fn sandbox_ledger(&self) -> PathBuf {
        self.data.join("sandbox-ledger")
    }

    /// Creates both directories, readable by the owner only where the platform allows.
    pub fn create(&self) -> Result<(), AppError> {
        for dir in [&self.config, &self.data] {
            create_private_dir(dir)?;
        }
        Ok(())
    }

    pub fn log_file(&self) -> PathBuf {
        self.data.join("lambdesk.log")
    }
}

fn create_private_dir(dir: &Path) -> Result<(), AppError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|err| {
        AppError::new(
            ErrorKind::Unknown,
            format!("Could not create {}: {err}", dir.display()),
        )
        .with_hint("Check that the folder is writable, or point XDG_CONFIG_HOME / XDG_DATA_HOME elsewhere.")
    })
}

/// Writes through a temporary file and a rename, so a crash never leaves half a file, and
/// readable by the owner only.
pub fn write_private(file: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let temporary = file.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = options.open(&temporary)?;
    out.write_all(contents)?;
    out.sync_all()?;
    std::fs::rename(&temporary, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xdg_variables_win_over_home() {
        let dirs = AppDirs::resolve(
            Some("/x/config".into()),
            Some("/x/data".into()),
            Some("/home/ann".into()),
        )
        .unwrap();
        assert_eq!(dirs.config, PathBuf::from("/x/config/lambdesk"));
        assert_eq!(dirs.data, PathBuf::from("/x/data/lambdesk"));
    }

    #[test]
    fn home_is_the_fallback_and_relative_xdg_paths_are_ignored() {
        let dirs =
            AppDirs::resolve(Some("relative".into()), None, Some("/home/ann".into())).unwrap();
        assert_eq!(dirs.config, PathBuf::from("/home/ann/.config/lambdesk"));
        assert_eq!(dirs.data, PathBuf::from("/home/ann/.local/share/lambdesk"));
    }

    #[test]
    fn no_home_is_a_clear_error() {
        let error = AppDirs::resolve(None, None, None).unwrap_err();
        assert!(error.message.contains("HOME"));
    }
}
