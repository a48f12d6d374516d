-- SCIM over OAuth 2.0 (SPEC 4.5, 5.2; issue 11): the Authenticate step's pending
-- authorization requests and the tokens it obtained. A pending request is found by the SHA-256
-- of its state (the state itself is never stored), used once, and expires; its PKCE verifier
-- and the tokens are sealed with the server's key (AES-256-GCM), like every other secret.
CREATE TABLE scim_oauth_states (
    state_hash TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs (id),
    instance_id TEXT NOT NULL,
    verifier TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE scim_oauth_tokens (
    org_id TEXT NOT NULL REFERENCES orgs (id),
    instance_id TEXT NOT NULL,
    sealed TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, instance_id)
);
