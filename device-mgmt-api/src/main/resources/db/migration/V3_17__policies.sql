-- Policies (issue 17): named sets of feature configurations of one device type, with a priority and an action, assigned
-- to device types, groups, roles or users. Versioned 3.17 so that it sorts after the other V3 migrations of issue 17.
CREATE TABLE policies (
    tenant      VARCHAR(64)   NOT NULL REFERENCES tenants (id),
    id          VARCHAR(64)   NOT NULL,
    name        VARCHAR(128)  NOT NULL,
    description VARCHAR(1000) NOT NULL DEFAULT '',
    device_type VARCHAR(64)   NOT NULL,
    priority    INTEGER       NOT NULL,
    action      VARCHAR(16)   NOT NULL,
    features    JSONB         NOT NULL DEFAULT '{}',
    version     INTEGER       NOT NULL DEFAULT 1,
    created_by  VARCHAR(64)   NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_by  VARCHAR(64)   NOT NULL,
    updated_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, id),
    UNIQUE (tenant, name),
    -- A device type a policy configures cannot be deleted under it (409), as with its devices.
    FOREIGN KEY (tenant, device_type) REFERENCES device_types (tenant, name) ON DELETE RESTRICT,
    CHECK (action IN ('ENFORCE', 'WARN', 'MONITOR'))
);

-- Targets are not foreign keys (four kinds in one column): a target that no longer exists simply matches no device.
CREATE TABLE policy_assignments (
    tenant    VARCHAR(64) NOT NULL,
    policy_id VARCHAR(64) NOT NULL,
    kind      VARCHAR(8)  NOT NULL,
    target    VARCHAR(64) NOT NULL,
    PRIMARY KEY (tenant, policy_id, kind, target),
    FOREIGN KEY (tenant, policy_id) REFERENCES policies (tenant, id) ON DELETE CASCADE,
    CHECK (kind IN ('TYPE', 'GROUP', 'ROLE', 'USER'))
);
CREATE INDEX policy_assignments_target ON policy_assignments (tenant, kind, target);

-- The effective policy last computed and pushed to each device; a new push happens only when it differs.
CREATE TABLE device_policies (
    tenant       VARCHAR(64)  NOT NULL,
    device_id    VARCHAR(64)  NOT NULL,
    effective    JSONB        NOT NULL,
    digest       VARCHAR(64)  NOT NULL,
    version      INTEGER      NOT NULL,
    operation_id VARCHAR(64),
    pushed_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- Re-pushes of this version after non-compliance (ENFORCE); bounded so a device that always refuses is not
    -- sent the same policy for ever.
    enforcements INTEGER      NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, device_id),
    FOREIGN KEY (tenant, device_id) REFERENCES devices (tenant, id) ON DELETE CASCADE
);

-- Compliance per device and feature of its effective policy, with the policy that supplied the feature.
CREATE TABLE policy_compliance (
    tenant      VARCHAR(64)  NOT NULL,
    device_id   VARCHAR(64)  NOT NULL,
    feature     VARCHAR(64)  NOT NULL,
    policy_id   VARCHAR(64)  NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    reported_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, device_id, feature),
    FOREIGN KEY (tenant, device_id) REFERENCES devices (tenant, id) ON DELETE CASCADE,
    CHECK (state IN ('COMPLIANT', 'NON_COMPLIANT', 'PENDING'))
);
CREATE INDEX policy_compliance_policy ON policy_compliance (tenant, policy_id, state);
