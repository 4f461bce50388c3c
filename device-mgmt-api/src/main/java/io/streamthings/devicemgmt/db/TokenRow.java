package io.streamthings.devicemgmt.db;

import java.time.Instant;

/** A row of {@code access_tokens}; the token itself is never stored, only its SHA-256. */
public record TokenRow(
        byte[] tokenHash,
        String tenant,
        String subject,
        String subjectKind,
        String[] roles,
        String[] scopes,
        Instant issuedAt,
        Instant expiresAt,
        boolean revoked) {}
