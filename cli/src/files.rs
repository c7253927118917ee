//! Files `ayx` keeps (its config, a backup's manifest): written beside as `<name>.part`, synced,
//! then moved into place, so an interruption leaves the last whole file, never half of one.
//! Downloads do the same through the client (`ByteStream::save_to_file`).

use std::path::{Path, PathBuf};

/// Replaces the file at `path` with `bytes`; `private` makes it readable and writable by its
/// owner only (on Unix).
pub fn replace(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".part");
    let partial = PathBuf::from(partial);
    let written = write(&partial, bytes, private).and_then(|()| std::fs::rename(&partial, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

#[cfg(unix)]
fn write(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mode = if private { 0o600 } else { 0o644 };
    let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(mode).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write(path: &Path, bytes: &[u8], _private: bool) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_no_part_file_stays() {
        let dir = std::env::temp_dir().join(format!("ayx-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        replace(&path, b"first", true).unwrap();
        replace(&path, b"second", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert!(!dir.join("config.toml.part").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        // A directory where the file should go: the write fails and leaves nothing behind.
        assert!(replace(&dir, b"x", false).is_err());
        assert!(!dir.with_extension("part").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
