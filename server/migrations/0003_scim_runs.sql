-- Run SCIM tests (issue 15): each run of the SCIM runner against an instance's SCIM server,
-- its steps so far while it runs and its report once it ended (JSON, secrets already
-- redacted by the runner). `passed` is 1/0 once finished, NULL while running.
CREATE TABLE scim_runs (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs (id),
    instance_id TEXT NOT NULL,
    submission_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    passed BIGINT,
    body TEXT NOT NULL
);
CREATE INDEX scim_runs_instance ON scim_runs (org_id, instance_id, started_at);
CREATE INDEX scim_runs_submission ON scim_runs (org_id, submission_id, started_at);

-- One run per instance across every replica: a lease taken with one atomic upsert (granted
-- when absent or expired), released when the run ends; a crashed replica's lease expires.
CREATE TABLE scim_run_leases (
    instance_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
