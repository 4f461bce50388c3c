package io.streamthings.devicemgmt.auth;

import io.streamthings.devicemgmt.errors.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits on the token endpoint: attempts per client address and per username (or client id) in a one-minute window,
 * and a lockout of a username after consecutive failures. Over a limit the endpoint answers 429 with
 * {@code Retry-After} before any password is checked, so guessing costs the attacker time and the server no bcrypt.
 *
 * <p>A lockout by username lets anyone who knows a name keep that user out for a while; that is the usual price of
 * stopping online guessing, and the per-address limit keeps one address from doing it cheaply. Counters live in
 * memory, per instance; each map is bounded (entries whose window and lockout are over are dropped first).
 */
public class LoginThrottle {

    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_KEYS = 100_000;

    private final int perAddressPerMinute;
    private final int perUsernamePerMinute;
    private final int lockoutFailures;
    private final Duration lockout;
    private final Clock clock;
    private final ConcurrentHashMap<String, Counter> addresses = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> usernames = new ConcurrentHashMap<>();

    public LoginThrottle(int perAddressPerMinute, int perUsernamePerMinute, int lockoutFailures, Duration lockout,
            Clock clock) {
        this.perAddressPerMinute = perAddressPerMinute;
        this.perUsernamePerMinute = perUsernamePerMinute;
        this.lockoutFailures = lockoutFailures;
        this.lockout = lockout;
        this.clock = clock;
    }

    /** Counts an attempt; throws a 429 when the address or the username is over its limit or locked out. */
    public void attempt(String address, String username) {
        long now = clock.millis();
        Counter a = counter(addresses, address, now);
        Counter u = counter(usernames, key(username), now);
        long wait;
        synchronized (u) {
            if (u.lockedUntil > now) {
                throw ApiException.retryLater(429, "too many failed sign-ins for this user; try again later",
                        seconds(u.lockedUntil - now));
            }
            wait = u.count(now, perUsernamePerMinute);
        }
        if (wait > 0) {
            throw ApiException.retryLater(429, "too many sign-in attempts for this user; try again later",
                    seconds(wait));
        }
        synchronized (a) {
            wait = a.count(now, perAddressPerMinute);
        }
        if (wait > 0) {
            throw ApiException.retryLater(429, "too many sign-in attempts from this address; try again later",
                    seconds(wait));
        }
    }

    /** The credentials were wrong: one more consecutive failure, and a lockout once there are enough. */
    public void failed(String username) {
        long now = clock.millis();
        Counter u = counter(usernames, key(username), now);
        synchronized (u) {
            if (++u.failures >= lockoutFailures) {
                u.lockedUntil = now + lockout.toMillis();
                u.failures = 0;
            }
        }
    }

    /** The credentials were right: consecutive failures start again from zero. */
    public void succeeded(String username) {
        Counter u = usernames.get(key(username));
        if (u != null) {
            synchronized (u) {
                u.failures = 0;
            }
        }
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    private static long seconds(long millis) {
        return (millis + 999) / 1000;
    }

    private static Counter counter(ConcurrentHashMap<String, Counter> map, String key, long now) {
        Counter c = map.get(key);
        if (c != null) {
            return c;
        }
        if (map.size() >= MAX_KEYS) {
            map.values().removeIf(v -> v.idle(now));
            if (map.size() >= MAX_KEYS) {
                // Only a flood from very many addresses or names gets here; forgetting is better than growing.
                map.clear();
            }
        }
        return map.computeIfAbsent(key, k -> new Counter(now));
    }

    /** Attempts in the current window, consecutive failures and a lockout; guarded by its own monitor. */
    private static final class Counter {
        private long windowStart;
        private int attempts;
        private int failures;
        private long lockedUntil;

        Counter(long now) {
            windowStart = now;
        }

        /** Counts one attempt; returns 0 when allowed, else the millis until the window ends. */
        long count(long now, int limit) {
            if (now - windowStart >= WINDOW.toMillis()) {
                windowStart = now;
                attempts = 0;
            }
            if (attempts >= limit) {
                return windowStart + WINDOW.toMillis() - now;
            }
            attempts++;
            return 0;
        }

        synchronized boolean idle(long now) {
            return now - windowStart >= WINDOW.toMillis() && lockedUntil <= now && failures == 0;
        }
    }
}
