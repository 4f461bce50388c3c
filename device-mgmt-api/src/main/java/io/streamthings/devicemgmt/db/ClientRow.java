package io.streamthings.devicemgmt.db;

import java.time.Instant;

/** A row of {@code oauth_clients}: an application using the client_credentials grant. */
public record ClientRow(
        String clientId, String tenant, String secretHash, String[] roles, String createdBy, Instant createdAt) {}
