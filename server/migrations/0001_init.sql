-- The reference server's schema. One file set for SQLite and PostgreSQL: only TEXT and
-- BIGINT columns, times as RFC 3339 UTC text (sorts as time), JSON bodies as text.
-- Secrets never sit in a body: they are sealed (AES-256-GCM) in a `secrets` column.

-- An org: users whose email has one company domain (SPEC 1). `revision` is bumped by every
-- change of the org's testing state; the bump is also the row lock that serializes them.
CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    tester_session TEXT,
    revision BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

-- Accounts (a password hash: they can sign in) and the org's test users (no hash).
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs (id),
    seq BIGINT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    body TEXT NOT NULL,
    password_hash TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX users_account_email ON users (email_key) WHERE password_hash IS NOT NULL;
CREATE INDEX users_org ON users (org_id, seq);

CREATE TABLE user_groups (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs (id),
    seq BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX user_groups_org ON user_groups (org_id, seq);

-- Submissions: `version` is the optimistic-concurrency check (a save names the version it
-- was based on); `summary` is the dashboard row, so listing never reads whole bodies.
CREATE TABLE submissions (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs (id),
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    updated TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    secrets TEXT NOT NULL
);
CREATE INDEX submissions_org ON submissions (org_id, updated);

CREATE TABLE instances (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs (id),
    seq BIGINT NOT NULL,
    submission_id TEXT NOT NULL,
    body TEXT NOT NULL,
    secrets TEXT NOT NULL
);
CREATE INDEX instances_org ON instances (org_id, seq);

CREATE TABLE test_runs (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs (id),
    seq BIGINT NOT NULL,
    instance_id TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX test_runs_org ON test_runs (org_id, seq);

-- Sign-in sessions: only the SHA-256 of the cookie's token is kept.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins per email and per client address, in a sliding window (throttling).
CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_start TEXT NOT NULL
);
