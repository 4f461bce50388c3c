-- Every row belongs to a tenant; every query filters on it.
CREATE TABLE tenants (
    id         VARCHAR(64) PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE roles (
    tenant     VARCHAR(64)  NOT NULL REFERENCES tenants (id),
    name       VARCHAR(64)  NOT NULL,
    scopes     TEXT[]       NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, name)
);

-- Usernames are unique across tenants because the token endpoint takes a bare username.
CREATE TABLE users (
    username      VARCHAR(64)  PRIMARY KEY,
    tenant        VARCHAR(64)  NOT NULL REFERENCES tenants (id),
    password_hash VARCHAR(100) NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE user_roles (
    tenant   VARCHAR(64) NOT NULL,
    username VARCHAR(64) NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    role     VARCHAR(64) NOT NULL,
    PRIMARY KEY (username, role),
    FOREIGN KEY (tenant, role) REFERENCES roles (tenant, name) ON DELETE CASCADE
);

CREATE TABLE oauth_clients (
    client_id   VARCHAR(64)  PRIMARY KEY,
    tenant      VARCHAR(64)  NOT NULL REFERENCES tenants (id),
    secret_hash VARCHAR(100) NOT NULL,
    roles       TEXT[]       NOT NULL,
    created_by  VARCHAR(64)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Access tokens are stored as SHA-256 of the token: a leaked table grants nothing.
CREATE TABLE access_tokens (
    token_hash   BYTEA        PRIMARY KEY,
    tenant       VARCHAR(64)  NOT NULL,
    subject      VARCHAR(64)  NOT NULL,
    subject_kind VARCHAR(8)   NOT NULL,
    roles        TEXT[]       NOT NULL,
    scopes       TEXT[]       NOT NULL,
    issued_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ  NOT NULL,
    revoked      BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX access_tokens_subject ON access_tokens (subject);
CREATE INDEX access_tokens_expires ON access_tokens (expires_at);

CREATE TABLE device_types (
    tenant      VARCHAR(64)   NOT NULL REFERENCES tenants (id),
    name        VARCHAR(64)   NOT NULL,
    description VARCHAR(1000) NOT NULL DEFAULT '',
    features    JSONB         NOT NULL DEFAULT '[]',
    metrics     JSONB         NOT NULL DEFAULT '[]',
    properties  JSONB         NOT NULL DEFAULT '[]',
    transports  JSONB         NOT NULL DEFAULT '[]',
    created_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, name)
);

CREATE TABLE devices (
    tenant     VARCHAR(64)  NOT NULL REFERENCES tenants (id),
    id         VARCHAR(64)  NOT NULL,
    name       VARCHAR(128) NOT NULL,
    type       VARCHAR(64)  NOT NULL,
    owner      VARCHAR(64)  NOT NULL,
    status     VARCHAR(16)  NOT NULL,
    properties JSONB        NOT NULL DEFAULT '{}',
    token_salt BYTEA        NOT NULL,
    token_hash BYTEA        NOT NULL,
    last_seen  TIMESTAMPTZ,
    online     BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, id),
    -- RESTRICT backs up the service's own check that a device type in use cannot be deleted.
    FOREIGN KEY (tenant, type) REFERENCES device_types (tenant, name) ON DELETE RESTRICT,
    CHECK (status IN ('ACTIVE', 'INACTIVE', 'BLOCKED', 'REMOVED'))
);
CREATE INDEX devices_type ON devices (tenant, type);
CREATE INDEX devices_owner ON devices (tenant, owner);
CREATE INDEX devices_status ON devices (tenant, status);

CREATE TABLE device_groups (
    tenant      VARCHAR(64)   NOT NULL REFERENCES tenants (id),
    id          VARCHAR(64)   NOT NULL,
    name        VARCHAR(128)  NOT NULL,
    description VARCHAR(1000) NOT NULL DEFAULT '',
    owner       VARCHAR(64)   NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, id),
    UNIQUE (tenant, name)
);

CREATE TABLE group_devices (
    tenant    VARCHAR(64) NOT NULL,
    group_id  VARCHAR(64) NOT NULL,
    device_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (tenant, group_id, device_id),
    FOREIGN KEY (tenant, group_id) REFERENCES device_groups (tenant, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant, device_id) REFERENCES devices (tenant, id) ON DELETE CASCADE
);
CREATE INDEX group_devices_device ON group_devices (tenant, device_id);

CREATE TABLE group_roles (
    tenant   VARCHAR(64) NOT NULL,
    group_id VARCHAR(64) NOT NULL,
    role     VARCHAR(64) NOT NULL,
    PRIMARY KEY (tenant, group_id, role),
    FOREIGN KEY (tenant, group_id) REFERENCES device_groups (tenant, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant, role) REFERENCES roles (tenant, name) ON DELETE CASCADE
);

CREATE TABLE activities (
    id          BIGSERIAL    PRIMARY KEY,
    tenant      VARCHAR(64)  NOT NULL,
    actor       VARCHAR(64)  NOT NULL,
    action      VARCHAR(64)  NOT NULL,
    target_type VARCHAR(32)  NOT NULL,
    target_id   VARCHAR(128) NOT NULL,
    details     JSONB        NOT NULL DEFAULT '{}',
    at          TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX activities_tenant_at ON activities (tenant, at);

-- Written in the same transaction as the change it announces; drained to Kafka by the outbox publisher.
CREATE TABLE kafka_outbox (
    id         BIGSERIAL    PRIMARY KEY,
    topic      VARCHAR(128) NOT NULL,
    record_key VARCHAR(200) NOT NULL,
    value      BYTEA,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
