-- Server-side rule apps. The app text is the source of truth; every deployment bumps the version and is announced
-- on the compacted rules topic through the outbox.
CREATE TABLE rules (
    tenant      VARCHAR(64)  NOT NULL REFERENCES tenants (id),
    name        VARCHAR(64)  NOT NULL,
    version     INTEGER      NOT NULL,
    app         TEXT         NOT NULL,
    description TEXT,
    created_by  VARCHAR(64)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_by  VARCHAR(64)  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, name)
);

-- One row per alert; a firing with the same tenant, rule and device while the alert is not cleared updates that
-- row (count, last values) instead of adding one: a storm of firings is one alert.
CREATE TABLE alerts (
    id              BIGSERIAL    PRIMARY KEY,
    tenant          VARCHAR(64)  NOT NULL,
    rule            VARCHAR(128) NOT NULL,
    device_id       VARCHAR(128),
    dedup_key       VARCHAR(400) NOT NULL,
    source          VARCHAR(16)  NOT NULL,
    severity        VARCHAR(16)  NOT NULL,
    message         TEXT         NOT NULL,
    status          VARCHAR(16)  NOT NULL DEFAULT 'OPEN',
    fire_count      BIGINT       NOT NULL DEFAULT 1,
    first_ts        BIGINT       NOT NULL,
    last_ts         BIGINT       NOT NULL,
    first_fired_at  TIMESTAMPTZ  NOT NULL,
    last_fired_at   TIMESTAMPTZ  NOT NULL,
    alert_values    JSONB        NOT NULL DEFAULT '{}',
    acknowledged_by VARCHAR(64),
    acknowledged_at TIMESTAMPTZ,
    cleared_by      VARCHAR(64),
    cleared_at      TIMESTAMPTZ
);
CREATE UNIQUE INDEX alerts_one_per_key_until_cleared ON alerts (tenant, dedup_key) WHERE status <> 'CLEARED';
CREATE INDEX alerts_tenant_last ON alerts (tenant, last_fired_at DESC);
CREATE INDEX alerts_tenant_device ON alerts (tenant, device_id, last_fired_at DESC);

-- Acknowledging and clearing alerts is a new scope; tenant admins hold every scope.
UPDATE roles SET scopes = array_append(scopes, 'alert:manage')
 WHERE name = 'admin' AND NOT ('alert:manage' = ANY (scopes));
