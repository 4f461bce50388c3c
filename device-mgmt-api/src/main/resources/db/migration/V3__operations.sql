-- Operations to devices (issue 17). Every deadline is stored, so a sweeper on any instance, after any restart, moves
-- what is overdue on: nothing stays SENT, DELIVERED or IN_PROGRESS past its deadline.

-- A group or multi-device operation: one row per device in operations, released in batches or at a rate.
CREATE TABLE operation_rollouts (
    tenant            VARCHAR(64)   NOT NULL REFERENCES tenants (id),
    id                VARCHAR(64)   NOT NULL,
    kind              VARCHAR(16)   NOT NULL,
    code              VARCHAR(64)   NOT NULL,
    target_type       VARCHAR(16)   NOT NULL,
    target_id         VARCHAR(128),
    status            VARCHAR(16)   NOT NULL,
    total             INTEGER       NOT NULL,
    batch_size        INTEGER,
    rate_per_minute   INTEGER,
    abort_percent     DOUBLE PRECISION,
    reason            VARCHAR(1000),
    created_by        VARCHAR(64)   NOT NULL,
    created_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    finished_at       TIMESTAMPTZ,
    PRIMARY KEY (tenant, id),
    CHECK (status IN ('RUNNING', 'COMPLETED', 'ABORTED', 'CANCELLED'))
);
CREATE INDEX operation_rollouts_running ON operation_rollouts (status) WHERE status = 'RUNNING';
CREATE INDEX operation_rollouts_created ON operation_rollouts (tenant, created_at);

CREATE TABLE operations (
    tenant          VARCHAR(64)  NOT NULL,
    id              VARCHAR(64)  NOT NULL,
    -- creation order: a device that comes back gets its operations in this order
    seq             BIGSERIAL    NOT NULL,
    device_id       VARCHAR(64)  NOT NULL,
    rollout_id      VARCHAR(64),
    kind            VARCHAR(16)  NOT NULL,
    code            VARCHAR(64)  NOT NULL,
    params          JSONB        NOT NULL DEFAULT '{}',
    one_way         BOOLEAN      NOT NULL,
    idempotency_key VARCHAR(64)  NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    -- false while a rollout holds the operation back; only released operations are sent
    released        BOOLEAN      NOT NULL,
    response        JSONB,
    created_by      VARCHAR(64)  NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    sent_at         TIMESTAMPTZ,
    send_count      INTEGER      NOT NULL DEFAULT 0,
    delivered_at    TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    expires_at      TIMESTAMPTZ  NOT NULL,
    timeout_ms      BIGINT       NOT NULL,
    -- the next deadline of an unfinished operation: expires_at until delivered, then delivered_at + timeout_ms
    deadline_at     TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, device_id) REFERENCES devices (tenant, id) ON DELETE CASCADE,
    CHECK (kind IN ('COMMAND', 'CONFIG', 'POLICY', 'EDGE_RULE')),
    CHECK (status IN ('PENDING', 'SENT', 'DELIVERED', 'IN_PROGRESS', 'COMPLETED', 'ERROR', 'REJECTED', 'TIMED_OUT',
                      'EXPIRED', 'CANCELLED', 'SUPERSEDED'))
);
CREATE INDEX operations_device ON operations (tenant, device_id, seq);
CREATE INDEX operations_rollout ON operations (tenant, rollout_id, status);
CREATE INDEX operations_open_deadline ON operations (deadline_at)
    WHERE status IN ('PENDING', 'SENT', 'DELIVERED', 'IN_PROGRESS');
CREATE INDEX operations_sent ON operations (sent_at) WHERE status = 'SENT';

-- Every change of state, with its time and the device's response.
CREATE TABLE operation_history (
    id           BIGSERIAL    PRIMARY KEY,
    tenant       VARCHAR(64)  NOT NULL,
    operation_id VARCHAR(64)  NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    source       VARCHAR(16)  NOT NULL,
    response     JSONB,
    at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant, operation_id) REFERENCES operations (tenant, id) ON DELETE CASCADE
);
CREATE INDEX operation_history_operation ON operation_history (tenant, operation_id, id);
