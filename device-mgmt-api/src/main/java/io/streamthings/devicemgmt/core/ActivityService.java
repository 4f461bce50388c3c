package io.streamthings.devicemgmt.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.devicemgmt.api.ActivityView;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.db.ActivityDao;
import io.streamthings.devicemgmt.db.ActivityRow;
import io.streamthings.devicemgmt.errors.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Reads the audit log of the caller's tenant. */
public class ActivityService {

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final Clock clock;

    public ActivityService(Jdbi jdbi, ObjectMapper json, Clock clock) {
        this.jdbi = jdbi;
        this.json = json;
        this.clock = clock;
    }

    /** Entries in [from, to), newest first; from defaults to 24 hours ago, to to now. */
    public Page<ActivityView> find(Caller caller, String from, String to, String actor, int offset, int limit) {
        Instant now = clock.instant();
        Instant start = time("from", from, now.minusSeconds(86_400), now);
        Instant end = time("to", to, now.plusMillis(1), now);
        if (actor != null && actor.length() > 64) {
            throw ApiException.badRequest("actor: at most 64 characters");
        }
        String who = actor == null || actor.isBlank() ? null : actor;
        ActivityDao dao = jdbi.onDemand(ActivityDao.class);
        List<ActivityView> items = dao.find(caller.tenant(), start, end, who, offset, limit).stream()
                .map(this::view).toList();
        return new Page<>(items, dao.count(caller.tenant(), start, end, who), offset, limit);
    }

    private static Instant time(String name, String value, Instant fallback, Instant now) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return TimeParam.parse(value, now);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + ": " + e.getMessage());
        }
    }

    private ActivityView view(ActivityRow row) {
        try {
            return new ActivityView(row.id(), row.actor(), row.action(), row.targetType(), row.targetId(),
                    json.readTree(row.details()), row.at());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored activity details are not JSON", e);
        }
    }
}
