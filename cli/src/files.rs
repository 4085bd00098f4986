//! Writing a file whole or not at all: through a temporary file of this
//! process's own beside it, then a rename. A symlink is written through
//! (its target changes, the link stays), and the file keeps its mode.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// The mode a written file gets (Unix; elsewhere the system's default).
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// The file's own, when it exists; else this one.
    Keep(u32),
    /// This one, whatever the file had: for a file that holds a secret.
    Exactly(u32),
}

/// Writes `bytes` to `path` (or, when `path` is a symlink, to the file it
/// points to), creating its directory; a failure leaves the file as it was.
pub fn write_atomically(path: &Path, bytes: &[u8], mode: Mode) -> std::io::Result<()> {
    let target = resolve(path)?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    // A new file's default mode is the umask's to narrow; any other exactly.
    let (mode, exact) = match mode {
        Mode::Exactly(mode) => (mode, true),
        Mode::Keep(default) => existing_mode(&target).map_or((default, false), |m| (m, true)),
    };
    let temp = temporary(&target);
    let written =
        write_new(&temp, bytes, mode, exact).and_then(|()| std::fs::rename(&temp, &target));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// The file `path` names, following symlinks (a dangling one included).
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    // As many links as Linux follows before it gives up (ELOOP).
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)?;
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                path = dir.join(link);
            }
            _ => return Ok(path),
        }
    }
    Err(std::io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

/// A name beside `target` that no other process and no other write of this
/// one uses: `.NAME.PID.N.tmp`.
fn temporary(target: &Path) -> PathBuf {
    static COUNT: AtomicU32 = AtomicU32::new(0);
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    let name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// Creates `path` (never one already there) with `mode` (`exact`: the umask
/// not applied), holding `bytes`.
fn write_new(path: &Path, bytes: &[u8], mode: u32, exact: bool) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    #[cfg(unix)]
    if exact {
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (mode, exact);
    file.sync_all()
}

#[cfg(unix)]
fn existing_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).ok()?;
    Some(meta.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn existing_mode(_path: &Path) -> Option<u32> {
    None
}
