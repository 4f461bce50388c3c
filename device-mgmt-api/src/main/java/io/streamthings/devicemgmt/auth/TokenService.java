package io.streamthings.devicemgmt.auth;

import io.streamthings.devicemgmt.api.TokenResponse;
import io.streamthings.devicemgmt.db.ClientDao;
import io.streamthings.devicemgmt.db.RoleDao;
import io.streamthings.devicemgmt.db.TokenDao;
import io.streamthings.devicemgmt.db.TokenRow;
import io.streamthings.devicemgmt.db.UserDao;
import io.streamthings.devicemgmt.errors.ApiException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;

/**
 * Issues, checks and revokes access tokens. Tokens live in PostgreSQL as SHA-256 hashes; a validated token is kept in
 * memory for a short time so that a busy client does not cost a query per request. A revocation through this instance
 * takes effect at once; one through another instance within the cache time.
 *
 * <p>A token carries the scopes it was issued with, but what it may do is those scopes that its roles still grant,
 * looked up on every request through a small cache of role scopes: changing or deleting a role narrows the tokens
 * already issued to its holders at once on this instance ({@link #roleChanged}), on others within the cache time.
 */
public class TokenService {

    private static final int CACHE_LIMIT = 100_000;

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Duration ttl;
    private final Duration cacheTtl;
    private final ConcurrentHashMap<ByteBuffer, Cached> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<RoleKey, CachedRole> roleCache = new ConcurrentHashMap<>();
    /** Bumped by every role change, so that scopes read before the change are not cached after it. */
    private final AtomicLong roleGeneration = new AtomicLong();
    // Verified when the user is unknown, so that timing does not tell which usernames exist.
    private final String dummyHash;

    private final LoginThrottle throttle;
    private final PasswordCheckGate gate;

    public TokenService(Jdbi jdbi, PasswordHasher hasher, Clock clock, Duration ttl, Duration cacheTtl,
            LoginThrottle throttle, PasswordCheckGate gate) {
        this.jdbi = jdbi;
        this.throttle = throttle;
        this.gate = gate;
        this.hasher = hasher;
        this.clock = clock;
        this.ttl = ttl;
        this.cacheTtl = cacheTtl;
        this.dummyHash = hasher.hash(AccessTokens.newToken());
    }

    /** The password grant, from a client at {@code address}; 429 over the limits of {@link LoginThrottle}. */
    public TokenResponse issueForUser(String address, String username, String password, String requestedScope) {
        throttle.attempt(address, username);
        var user = jdbi.onDemand(UserDao.class).find(username);
        String hash = user.map(u -> u.passwordHash()).orElse(dummyHash);
        if (!gate.check(() -> hasher.verify(password, hash)) || user.isEmpty()) {
            throttle.failed(username);
            throw new ApiException(401, "invalid username or password");
        }
        throttle.succeeded(username);
        var row = user.get();
        return issue(row.tenant(), row.username(), "user", List.of(row.roles()), requestedScope);
    }

    /** The client_credentials grant, from a client at {@code address}; limited as the password grant. */
    public TokenResponse issueForClient(String address, String clientId, String secret, String requestedScope) {
        throttle.attempt(address, clientId);
        var client = jdbi.onDemand(ClientDao.class).find(clientId);
        String hash = client.map(c -> c.secretHash()).orElse(dummyHash);
        if (!gate.check(() -> hasher.verify(secret, hash)) || client.isEmpty()) {
            throttle.failed(clientId);
            throw new ApiException(401, "invalid client id or secret");
        }
        throttle.succeeded(clientId);
        var row = client.get();
        return issue(row.tenant(), row.clientId(), "client", List.of(row.roles()), requestedScope);
    }

    private TokenResponse issue(String tenant, String subject, String kind, List<String> roles, String requested) {
        Set<String> granted = new LinkedHashSet<>(
                jdbi.onDemand(RoleDao.class).scopesOf(tenant, roles.toArray(String[]::new)));
        Set<String> scopes = narrow(granted, requested);
        String token = AccessTokens.newToken();
        Instant expiresAt = clock.instant().plus(ttl);
        jdbi.onDemand(TokenDao.class).insert(AccessTokens.sha256(token), tenant, subject, kind,
                roles.toArray(String[]::new), scopes.stream().sorted().toArray(String[]::new), expiresAt);
        return new TokenResponse(token, "Bearer", ttl.toSeconds(), String.join(" ", scopes.stream().sorted().toList()));
    }

    /** The requested scopes when all are granted; all granted scopes when none are requested. */
    static Set<String> narrow(Set<String> granted, String requested) {
        if (requested == null || requested.isBlank()) {
            return granted;
        }
        Set<String> wanted = new LinkedHashSet<>(Arrays.asList(requested.trim().split("\\s+")));
        if (!granted.containsAll(wanted)) {
            wanted.removeAll(granted);
            throw ApiException.badRequest("invalid_scope: not granted: " + String.join(" ", wanted));
        }
        return wanted;
    }

    /** The caller a bearer token stands for, if it is known, unexpired and not revoked. */
    public Optional<Caller> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        return authenticateHash(AccessTokens.sha256(token));
    }

    /**
     * The caller a token stands for now, by the token's hash (what a {@link Caller} keeps): empty once it expired or
     * was revoked; its scopes as its roles grant them now. For re-checking a caller long after its request began.
     */
    public Optional<Caller> recheck(Caller caller) {
        return authenticateHash(caller.tokenHash());
    }

    private Optional<Caller> authenticateHash(byte[] hash) {
        ByteBuffer key = ByteBuffer.wrap(hash);
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && now.isBefore(cached.trustedUntil())) {
            return now.isBefore(cached.expiresAt()) ? Optional.of(current(cached.issued(), now)) : Optional.empty();
        }
        Optional<TokenRow> row = jdbi.onDemand(TokenDao.class).find(hash);
        if (row.isEmpty() || row.get().revoked() || !now.isBefore(row.get().expiresAt())) {
            cache.remove(key);
            return Optional.empty();
        }
        TokenRow r = row.get();
        Caller issued = new Caller(r.tenant(), r.subject(), r.subjectKind(), Set.of(r.roles()), Set.of(r.scopes()),
                hash);
        if (cache.size() >= CACHE_LIMIT) {
            // Crude but bounded: a full cache is dropped and refills from the database.
            cache.clear();
        }
        cache.put(key, new Cached(issued, r.expiresAt(), now.plus(cacheTtl)));
        return Optional.of(current(issued, now));
    }

    /** The caller as its roles stand now: roles since deleted dropped, scopes no remaining role grants removed. */
    private Caller current(Caller issued, Instant now) {
        Set<String> roles = new LinkedHashSet<>();
        Set<String> granted = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String role : issued.roles()) {
            CachedRole c = roleCache.get(new RoleKey(issued.tenant(), role));
            if (c == null || !now.isBefore(c.trustedUntil())) {
                unknown.add(role);
            } else if (c.scopes() != null) {
                roles.add(role);
                granted.addAll(c.scopes());
            }
        }
        if (!unknown.isEmpty()) {
            long generation = roleGeneration.get();
            var found = new HashMap<String, Set<String>>();
            for (var row : jdbi.onDemand(RoleDao.class).findAll(issued.tenant(), unknown.toArray(String[]::new))) {
                found.put(row.name(), Set.of(row.scopes()));
            }
            if (roleCache.size() >= CACHE_LIMIT) {
                roleCache.clear();
            }
            for (String role : unknown) {
                Set<String> scopes = found.get(role);
                if (roleGeneration.get() == generation) {
                    roleCache.put(new RoleKey(issued.tenant(), role), new CachedRole(scopes, now.plus(cacheTtl)));
                }
                if (scopes != null) {
                    roles.add(role);
                    granted.addAll(scopes);
                }
            }
        }
        if (roles.equals(issued.roles()) && granted.containsAll(issued.scopes())) {
            return issued;
        }
        Set<String> scopes = new LinkedHashSet<>(issued.scopes());
        scopes.retainAll(granted);
        return new Caller(issued.tenant(), issued.name(), issued.kind(), roles, scopes, issued.tokenHash());
    }

    /** A role of a tenant was changed or deleted: tokens of its holders are judged by what it grants now. */
    public void roleChanged(String tenant, String role) {
        roleGeneration.incrementAndGet();
        roleCache.remove(new RoleKey(tenant, role));
    }

    /**
     * Revokes a token. Any caller may revoke its own tokens; a holder of user:manage any token of its tenant. As RFC
     * 7009 asks, an unknown token is not an error.
     */
    public void revoke(Caller caller, String token) {
        byte[] hash = AccessTokens.sha256(token);
        TokenDao dao = jdbi.onDemand(TokenDao.class);
        Optional<TokenRow> row = dao.find(hash);
        if (row.isEmpty() || !row.get().tenant().equals(caller.tenant())) {
            return;
        }
        boolean own = row.get().subject().equals(caller.name());
        if (!own && !caller.hasScope(Scopes.USER_MANAGE)) {
            throw ApiException.forbidden("only your own tokens, or with scope user:manage");
        }
        dao.revoke(hash);
        cache.remove(ByteBuffer.wrap(hash));
    }

    /** Revokes every token of a user or client, e.g. when it is deleted or its password changes. */
    public void revokeAllOf(String tenant, String subject) {
        jdbi.onDemand(TokenDao.class).revokeAllOf(tenant, subject);
        cache.values().removeIf(c -> c.issued().tenant().equals(tenant) && c.issued().name().equals(subject));
    }

    /** Deletes tokens that expired more than a day ago; they can only ever answer 401 now. */
    public int deleteExpired() {
        return jdbi.onDemand(TokenDao.class).deleteExpired(clock.instant().minus(Duration.ofDays(1)));
    }

    private record Cached(Caller issued, Instant expiresAt, Instant trustedUntil) {}

    private record RoleKey(String tenant, String role) {}

    /** {@code scopes} null: the role does not exist (any more). */
    private record CachedRole(Set<String> scopes, Instant trustedUntil) {}
}
