//! Where uploaded files live. Behind a trait so that an object store can
//! replace the local directory; with several instances the directory must be
//! shared (or replaced) since each instance writes its own.

use std::io;
use std::path::PathBuf;

pub trait BlobStore: Send + Sync {
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()>;
    fn get(&self, key: &str) -> io::Result<Vec<u8>>;
    fn delete(&self, key: &str) -> io::Result<()>;
}

/// Files under a directory, one per key. Keys are random tokens, checked so
/// that none can step outside the directory.
pub struct DirStore {
    root: PathBuf,
}

impl DirStore {
    pub fn new(root: PathBuf) -> io::Result<DirStore> {
        std::fs::create_dir_all(&root)?;
        Ok(DirStore { root })
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        let safe = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
        if !safe || key.starts_with('.') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "bad storage key",
            ));
        }
        Ok(self.root.join(key))
    }
}

impl BlobStore for DirStore {
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path(key)?;
        let tmp = path.with_extension("part");
        std::fs::write(&tmp, bytes)?;
        // Readers never see a half-written file.
        std::fs::rename(tmp, path)
    }

    fn get(&self, key: &str) -> io::Result<Vec<u8>> {
        std::fs::read(self.path(key)?)
    }

    fn delete(&self, key: &str) -> io::Result<()> {
        match std::fs::remove_file(self.path(key)?) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_reads_and_deletes_and_refuses_paths() {
        let dir = tempfile::tempdir().unwrap();
        let store = DirStore::new(dir.path().join("photos")).unwrap();
        store.put("abc.jpg", b"data").unwrap();
        assert_eq!(store.get("abc.jpg").unwrap(), b"data");
        store.delete("abc.jpg").unwrap();
        assert!(store.get("abc.jpg").is_err());
        store.delete("abc.jpg").unwrap();
        for bad in ["../x", "a/b", "", ".hidden"] {
            assert!(store.put(bad, b"x").is_err(), "{bad}");
        }
    }
}
