//! `dist`: a release archive of `ayx` for this machine, as operators install it: the binary, a
//! man page per command, completions for every shell clap knows, the README, and `SHA256SUMS`
//! (`sha256sum -c` reads it), packed as `ayx-VERSION-OS-ARCH.tar.gz` with its own checksum file
//! beside it. `--debug` packs the debug build (what CI checks, without a release build).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::ci::run;
use crate::flags::Flags;

/// The shells `ayx completions` writes for, and each script's file name.
const COMPLETIONS: [(&str, &str); 5] =
    [("bash", "ayx.bash"), ("zsh", "_ayx"), ("fish", "ayx.fish"), ("elvish", "ayx.elv"), ("powershell", "_ayx.ps1")];

pub(crate) fn dist(root: &Path, flags: &Flags) -> Result<(), String> {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let out = flags.value("--out").map_or_else(|| target.join("dist"), |o| root.join(o));
    package(root, flags.switch("--debug"), &out).map(|_| ())
}

/// Builds `ayx` and packs it into `out`; returns the staged directory (the archive's contents).
pub(crate) fn package(root: &Path, debug: bool, out: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = vec!["build", "-p", "ayx", "--locked"];
    if !debug {
        build.push("--release");
    }
    run(root, &cargo, &build, &[])?;
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let binary =
        target.join(if debug { "debug" } else { "release" }).join(format!("ayx{}", std::env::consts::EXE_SUFFIX));
    let name = format!("ayx-{}-{}-{}", version(root)?, std::env::consts::OS, std::env::consts::ARCH);
    let stage = out.join(&name);
    let _ = std::fs::remove_dir_all(&stage);
    std::fs::create_dir_all(stage.join("completions")).map_err(|e| format!("{}: {e}", stage.display()))?;
    let copy =
        |from: &Path, to: &Path| std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("{}: {e}", from.display()));
    copy(&binary, &stage.join(binary.file_name().unwrap_or_default()))?;
    copy(&root.join("README.md"), &stage.join("README.md"))?;
    let man = stage.join("man/man1");
    run(root, &binary.to_string_lossy(), &["manpages", &man.to_string_lossy()], &[])?;
    for (shell, file) in COMPLETIONS {
        let output = std::process::Command::new(&binary)
            .args(["completions", shell])
            .output()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        if !output.status.success() {
            return Err(format!("`ayx completions {shell}` failed: {}", String::from_utf8_lossy(&output.stderr)));
        }
        std::fs::write(stage.join("completions").join(file), output.stdout).map_err(|e| format!("{file}: {e}"))?;
    }
    let sums = checksums(&stage)?;
    std::fs::write(stage.join("SHA256SUMS"), &sums).map_err(|e| format!("SHA256SUMS: {e}"))?;
    let archive = out.join(format!("{name}.tar.gz"));
    run(out, "tar", &["-czf", &format!("{name}.tar.gz"), &name], &[])?;
    let bytes = std::fs::read(&archive).map_err(|e| format!("{}: {e}", archive.display()))?;
    let line = format!("{}  {name}.tar.gz\n", hex(&Sha256::digest(&bytes)));
    std::fs::write(out.join(format!("{name}.tar.gz.sha256")), line).map_err(|e| format!("checksum: {e}"))?;
    eprintln!("dist: {} ({} files, {:.1} MB)", archive.display(), sums.lines().count(), bytes.len() as f64 / 1e6);
    Ok(stage)
}

/// `ayx`'s version, from its manifest.
fn version(root: &Path) -> Result<String, String> {
    let manifest = std::fs::read_to_string(root.join("cli/Cargo.toml")).map_err(|e| format!("cli/Cargo.toml: {e}"))?;
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \"")?.strip_suffix('"').map(str::to_string))
        .ok_or_else(|| "cli/Cargo.toml has no version".into())
}

/// `sha256  path` for every file under `dir` (paths relative to it, sorted), as `sha256sum`
/// writes them.
pub(crate) fn checksums(dir: &Path) -> Result<String, String> {
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    let mut out = String::new();
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let relative = file.strip_prefix(dir).unwrap_or(&file).to_string_lossy().replace('\\', "/");
        if relative == "SHA256SUMS" {
            continue;
        }
        out.push_str(&format!("{}  {relative}\n", hex(&Sha256::digest(&bytes))));
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() { walk(&path, out)? } else { out.push(path) }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks a staged archive directory: the files an operator needs are there, and every line of
/// `SHA256SUMS` matches its file. CI runs it after `dist --debug`.
pub(crate) fn verify(stage: &Path) -> Result<(), String> {
    let expected =
        ["README.md", "SHA256SUMS", "man/man1/ayx.1", "man/man1/ayx-doctor.1", "man/man1/ayx-workflows-list.1"];
    for file in
        expected.iter().map(|f| f.to_string()).chain(COMPLETIONS.iter().map(|(_, f)| format!("completions/{f}")))
    {
        if !stage.join(&file).is_file() {
            return Err(format!("{} lacks {file}", stage.display()));
        }
    }
    let listed = std::fs::read_to_string(stage.join("SHA256SUMS")).map_err(|e| e.to_string())?;
    if listed != checksums(stage)? {
        return Err(format!("{}/SHA256SUMS does not match the files", stage.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_are_listed_as_sha256sum_writes_them_and_a_changed_file_is_caught() {
        let dir = std::env::temp_dir().join(format!("xtask-dist-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("man/man1")).unwrap();
        std::fs::write(dir.join("b.txt"), "abc").unwrap();
        std::fs::write(dir.join("man/man1/a.1"), "").unwrap();
        let sums = checksums(&dir).unwrap();
        assert_eq!(
            sums,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  b.txt\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  man/man1/a.1\n"
        );
        std::fs::write(dir.join("SHA256SUMS"), &sums).unwrap();
        assert_eq!(checksums(&dir).unwrap(), sums, "the list leaves itself out");
        std::fs::write(dir.join("b.txt"), "abd").unwrap();
        assert_ne!(checksums(&dir).unwrap(), sums);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
