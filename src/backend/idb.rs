//! The embedded backend's storage: one IndexedDB database with an object store per record
//! kind. Records are JSON text (the contract's own form); logos are Blobs. Every failure is a
//! [`BackendError::Storage`] with a message a user can act on, never a panic.

use idb::{
    Database, DatabaseEvent, Factory, ObjectStoreParams, Query, Transaction, TransactionMode,
};
use wasm_bindgen::{JsCast, JsValue};

use super::BackendError;

const DB_NAME: &str = "oin-wizard";
const DB_VERSION: u32 = 1;

/// Submissions by id, as contract JSON without the logo bytes.
pub const SUBMISSIONS: &str = "submissions";
/// Logo bytes by submission id, as Blobs.
pub const LOGOS: &str = "logos";
/// The org record (signed-in user, users, groups, instances, tester session) under key "org".
pub const ORG: &str = "org";

const STORES: [&str; 3] = [SUBMISSIONS, LOGOS, ORG];

fn storage_error(what: &str, e: impl std::fmt::Debug) -> BackendError {
    let detail = format!("{e:?}");
    if detail.contains("QuotaExceeded") {
        BackendError::Storage(
            "The browser's storage for this site is full: free some space (or remove old integrations) and retry"
                .into(),
        )
    } else {
        BackendError::Storage(format!(
            "Your browser's storage (IndexedDB) {what}: {detail}. Private windows and some privacy settings block it; allow site data for this page and reload"
        ))
    }
}

/// An open database.
pub struct Db(Database);

impl Db {
    /// Opens (creating or upgrading) the database.
    pub async fn open() -> Result<Db, BackendError> {
        let factory = Factory::new().map_err(|e| storage_error("is not available", e))?;
        let mut request = factory
            .open(DB_NAME, Some(DB_VERSION))
            .map_err(|e| storage_error("could not be opened", e))?;
        request.on_upgrade_needed(|event| {
            let Ok(db) = event.database() else { return };
            let existing = db.store_names();
            for store in STORES {
                if !existing.iter().any(|s| s == store) {
                    let _ = db.create_object_store(store, ObjectStoreParams::new());
                }
            }
        });
        request
            .await
            .map(Db)
            .map_err(|e| storage_error("could not be opened", e))
    }

    /// A transaction over `stores`.
    pub fn transaction(&self, stores: &[&str], write: bool) -> Result<Tx, BackendError> {
        let mode = if write {
            TransactionMode::ReadWrite
        } else {
            TransactionMode::ReadOnly
        };
        self.0
            .transaction(stores, mode)
            .map(Tx)
            .map_err(|e| storage_error("refused a transaction", e))
    }
}

/// One transaction: reads and writes inside it are atomic (compare-and-set of versions).
pub struct Tx(Transaction);

impl Tx {
    fn store(&self, name: &str) -> Result<idb::ObjectStore, BackendError> {
        self.0
            .object_store(name)
            .map_err(|e| storage_error("has no store", e))
    }

    /// The value under `key`, if any.
    async fn get(&self, store: &str, key: &str) -> Result<Option<JsValue>, BackendError> {
        self.store(store)?
            .get(Query::Key(JsValue::from_str(key)))
            .map_err(|e| storage_error("could not read", e))?
            .await
            .map_err(|e| storage_error("could not read", e))
    }

    /// The JSON text under `key`, if any.
    pub async fn get_text(&self, store: &str, key: &str) -> Result<Option<String>, BackendError> {
        Ok(self.get(store, key).await?.and_then(|v| v.as_string()))
    }

    /// Every JSON text in `store`.
    pub async fn all_text(&self, store: &str) -> Result<Vec<String>, BackendError> {
        let values = self
            .store(store)?
            .get_all(None, None)
            .map_err(|e| storage_error("could not read", e))?
            .await
            .map_err(|e| storage_error("could not read", e))?;
        Ok(values.into_iter().filter_map(|v| v.as_string()).collect())
    }

    /// Writes JSON text under `key`.
    pub async fn put_text(&self, store: &str, key: &str, text: &str) -> Result<(), BackendError> {
        self.store(store)?
            .put(&JsValue::from_str(text), Some(&JsValue::from_str(key)))
            .map_err(|e| storage_error("could not write", e))?
            .await
            .map_err(|e| storage_error("could not write", e))?;
        Ok(())
    }

    /// Writes bytes as a Blob under `key`.
    pub async fn put_bytes(
        &self,
        store: &str,
        key: &str,
        bytes: &[u8],
    ) -> Result<(), BackendError> {
        let array = js_sys::Uint8Array::from(bytes);
        let parts = js_sys::Array::of1(&array);
        let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)
            .map_err(|e| storage_error("could not store a file", e))?;
        self.store(store)?
            .put(&blob, Some(&JsValue::from_str(key)))
            .map_err(|e| storage_error("could not write", e))?
            .await
            .map_err(|e| storage_error("could not write", e))?;
        Ok(())
    }

    /// The Blob under `key`, if any (read its bytes with [`blob_bytes`] after the transaction).
    pub async fn get_blob(
        &self,
        store: &str,
        key: &str,
    ) -> Result<Option<web_sys::Blob>, BackendError> {
        Ok(self
            .get(store, key)
            .await?
            .and_then(|v| v.dyn_into::<web_sys::Blob>().ok()))
    }

    /// Deletes `key`.
    pub async fn delete(&self, store: &str, key: &str) -> Result<(), BackendError> {
        self.store(store)?
            .delete(Query::Key(JsValue::from_str(key)))
            .map_err(|e| storage_error("could not delete", e))?
            .await
            .map_err(|e| storage_error("could not delete", e))?;
        Ok(())
    }

    /// Commits and waits until the writes are durable.
    pub async fn commit(self) -> Result<(), BackendError> {
        self.0
            .commit()
            .map_err(|e| storage_error("could not save", e))?
            .await
            .map_err(|e| storage_error("could not save", e))?;
        Ok(())
    }
}

/// A Blob's bytes.
pub async fn blob_bytes(blob: &web_sys::Blob) -> Result<Vec<u8>, BackendError> {
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| storage_error("could not read a file", e))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
