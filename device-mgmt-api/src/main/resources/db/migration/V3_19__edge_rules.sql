-- Edge rules (issue 19): Siddhi apps the server keeps and deploys to edge runtimes as EDGE_RULE operations. Where a
-- rule runs is not stored here: the operations (kind EDGE_RULE, code = the rule's id, params.version) are the record,
-- so a deployment's state is always its operation's, deadlines included.
CREATE TABLE edge_rules (
    tenant       VARCHAR(64)    NOT NULL REFERENCES tenants (id),
    id           VARCHAR(64)    NOT NULL,
    name         VARCHAR(200)   NOT NULL,
    description  VARCHAR(1000),
    app          TEXT           NOT NULL,
    version      BIGINT         NOT NULL,
    created_by   VARCHAR(64)    NOT NULL,
    created_at   TIMESTAMPTZ    NOT NULL DEFAULT now(),
    updated_by   VARCHAR(64)    NOT NULL,
    updated_at   TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, id)
);

-- The deployments view reads a rule's operations per device.
CREATE INDEX operations_edge_rule ON operations (tenant, code, device_id, seq) WHERE kind = 'EDGE_RULE';
