-- When each periodic job last ran, on any instance: an instance runs the
-- job only after claiming its period here (ClaimJobRun), so several
-- instances run each job once per period between them.
CREATE TABLE job_runs (
    name        text PRIMARY KEY,
    last_run_at timestamptz NOT NULL
);
