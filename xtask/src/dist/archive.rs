//! Archives as a release ships them: gzipped tar and zip, the same bytes
//! from the same files (entries in the order given, fixed owners and
//! times), and the SHA-256 line written beside each.

use std::io::{Cursor, Write};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

/// A file in an archive.
#[derive(Clone)]
pub struct Entry {
    /// Its path in the archive, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
    /// Mode 0755 rather than 0644.
    pub executable: bool,
}

impl Entry {
    pub fn file(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
            executable: false,
        }
    }

    pub fn executable(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            executable: true,
            ..Self::file(path, bytes)
        }
    }

    fn mode(&self) -> u32 {
        if self.executable {
            0o755
        } else {
            0o644
        }
    }
}

/// A gzipped tar of `entries`, every one dated `mtime` (seconds since 1970).
pub fn tar_gz(entries: &[Entry], mtime: u64) -> Result<Vec<u8>> {
    let gzip = flate2::GzBuilder::new()
        .mtime(u32::try_from(mtime).unwrap_or(0))
        .write(Vec::new(), flate2::Compression::best());
    let mut tar = tar::Builder::new(gzip);
    for entry in entries {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(entry.bytes.len() as u64);
        header.set_mode(entry.mode());
        header.set_mtime(mtime);
        header.set_uid(0);
        header.set_gid(0);
        tar.append_data(&mut header, &entry.path, entry.bytes.as_slice())
            .with_context(|| format!("adding {} to the archive", entry.path))?;
    }
    let gzip = tar.into_inner()?;
    Ok(gzip.finish()?)
}

/// A zip of `entries`, deflated, with Unix modes (which `unzip` and the
/// MCP bundle's installers honour) and zip's earliest date.
pub fn zip(entries: &[Entry]) -> Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for entry in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(9))
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(entry.mode());
        zip.start_file(entry.path.as_str(), options)
            .with_context(|| format!("adding {} to the archive", entry.path))?;
        zip.write_all(&entry.bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The hex SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The line `sha256sum` writes and `sha256sum -c` reads: the hash, two
/// spaces, the file name.
pub fn sha256_line(bytes: &[u8], name: &str) -> String {
    format!("{}  {name}\n", sha256(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<Entry> {
        vec![
            Entry::executable("c1-1.0.0-x/c1", b"#!/bin/sh\necho c1\n".to_vec()),
            Entry::file("c1-1.0.0-x/README.md", "# c1\n"),
        ]
    }

    #[test]
    fn a_tar_holds_each_file_with_its_mode_and_date() {
        let bytes = tar_gz(&entries(), 1_700_000_000).unwrap();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        let mut seen = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let header = entry.header();
            let (mode, mtime) = (header.mode().unwrap(), header.mtime().unwrap());
            let path = entry.path().unwrap().to_string_lossy().into_owned();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
            seen.push((path, mode, mtime, text));
        }
        assert_eq!(
            seen,
            [
                (
                    "c1-1.0.0-x/c1".into(),
                    0o755,
                    1_700_000_000,
                    "#!/bin/sh\necho c1\n".into()
                ),
                (
                    "c1-1.0.0-x/README.md".into(),
                    0o644,
                    1_700_000_000,
                    "# c1\n".into()
                ),
            ]
        );
    }

    #[test]
    fn the_same_files_make_the_same_bytes() {
        assert_eq!(
            tar_gz(&entries(), 7).unwrap(),
            tar_gz(&entries(), 7).unwrap()
        );
        assert_eq!(zip(&entries()).unwrap(), zip(&entries()).unwrap());
    }

    #[test]
    fn a_zip_holds_each_file_with_its_unix_mode() {
        let bytes = zip(&entries()).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let binary = archive.by_name("c1-1.0.0-x/c1").unwrap();
        assert_eq!(binary.unix_mode().map(|m| m & 0o777), Some(0o755));
        drop(binary);
        let readme = archive.by_name("c1-1.0.0-x/README.md").unwrap();
        assert_eq!(readme.unix_mode().map(|m| m & 0o777), Some(0o644));
    }

    #[test]
    fn the_checksum_line_is_what_sha256sum_writes() {
        assert_eq!(
            sha256_line(b"abc", "f.tar.gz"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  f.tar.gz\n"
        );
    }
}
