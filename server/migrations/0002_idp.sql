-- The org's identity provider (issue 14). Same SQL on SQLite and PostgreSQL.

-- Signing keys (RSA 2048): the PKCS#8 DER sealed with the server's AES-256-GCM key, bound to
-- its key id. Rotation adds a key and deletes retired ones (oin-idp's policy).
CREATE TABLE idp_keys (
    kid TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    sealed_pkcs8 TEXT NOT NULL
);

-- Short-lived protocol state: pending authorization requests, authorization codes, access
-- grants, one-time JIT credentials. `key` is a SHA-256 of the code or token (never the raw
-- value); `parent` links a grant to the code it came from (a reused code revokes its grants).
CREATE TABLE idp_items (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    org_id TEXT NOT NULL,
    parent TEXT NOT NULL,
    body TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX idp_items_parent ON idp_items (kind, parent);
CREATE INDEX idp_items_expiry ON idp_items (expires_at);
