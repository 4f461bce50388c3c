package io.streamthings.devicemgmt.analytics;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a series request is answered: the source, the time bucket and the aggregation, chosen so that the answer never
 * holds more than {@code maxPoints} points. Pure: no I/O, so every choice is unit-tested.
 *
 * <p>Without an explicit interval: ranges up to {@link #RAW_AUTO_MAX} read raw points (as stored when they fit in
 * {@code maxPoints}, else downsampled). Longer ranges are grouped in buckets of at least a minute up to
 * {@link #MINUTE_AUTO_MAX}, at least an hour up to {@link #HOURLY_AUTO_MAX}, at least a day beyond, grown to keep to
 * {@code maxPoints}. A range that starts before the raw retention ({@link #RAW_RETENTION}) reads windows even when
 * short, since the raw points are gone; one that starts before the minute windows' retention
 * ({@link #MINUTE_RETENTION}) gets hourly buckets at least, for the same reason.
 *
 * <p>Buckets read the coarsest window series whose windows fit whole in them ({@link SeriesSource#windowsFor}): the
 * 1-minute windows for buckets under an hour, the hourly rollups for whole hours, the daily rollups for whole days.
 * With the defaults that is {@code telemetry_1m} up to 7 days, {@code telemetry_1h} up to 90 days and
 * {@code telemetry_1d} beyond, and a smaller {@code maxPoints} moves to the coarser series sooner (a 7-day range at 100
 * points reads hourly rollups, 2-hour buckets). The rollups are written by a batch job after their windows close, and
 * not at all before it first runs: {@code AnalyticsService} reads the part of the range they do not cover yet from
 * the next finer series.
 *
 * @param source the measurement read
 * @param fromMs start, epoch ms, inclusive
 * @param toMs end, epoch ms, inclusive
 * @param agg the aggregation of a bucket
 * @param bucketMs the {@code GROUP BY time()} bucket in ms
 * @param storedIfFits read the raw points as they are when at most {@code maxPoints} of them are in range, and group
 *     by {@code bucketMs} only otherwise
 * @param maxPoints the most points the answer may hold
 */
public record SeriesPlan(SeriesSource source, long fromMs, long toMs, Agg agg, long bucketMs, boolean storedIfFits,
        int maxPoints) {

    /** Longest range read from raw points when no interval is given. */
    public static final Duration RAW_AUTO_MAX = Duration.ofHours(1);
    /** Longest range read in buckets under an hour (of minute windows) when no interval is given. */
    public static final Duration MINUTE_AUTO_MAX = Duration.ofDays(7);
    /** Longest range read in buckets under a day when no interval is given; longer ranges get daily buckets at least. */
    public static final Duration HOURLY_AUTO_MAX = Duration.ofDays(90);
    /** Longest range {@code interval=raw} (or a sub-minute interval) may ask for: raw scans cost per reading. */
    public static final Duration RAW_MAX_RANGE = Duration.ofDays(1);
    /** The real-time job's default retention of raw points ({@code --retention.raw}). */
    public static final Duration RAW_RETENTION = Duration.ofDays(7);
    /** The real-time job's default retention of the minute windows ({@code --retention.1m}). */
    public static final Duration MINUTE_RETENTION = Duration.ofDays(90);
    /** Default {@code maxPoints}. */
    public static final int DEFAULT_MAX_POINTS = 1_000;
    /** Largest {@code maxPoints}: a chart has no use for more, and the answer stays a few hundred KiB. */
    public static final int MAX_MAX_POINTS = 10_000;

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 86_400_000L;
    private static final Pattern DURATION = Pattern.compile("^(\\d{1,9})(ms|s|m|h|d|w)$");
    /** Bucket sizes people read easily; beyond the last, doubling. */
    private static final long[] NICE = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000,
        30_000, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR,
        6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY};

    /**
     * Plans a request.
     *
     * @param interval null or blank to choose from the range, {@code raw}, or a duration such as {@code 10s},
     *     {@code 5m}, {@code 1h}, {@code 1d} (the smallest bucket wanted; made larger when maxPoints demands)
     * @param now the present, for the raw retention
     * @throws IllegalArgumentException with a message for the caller, on a bad interval, maxPoints or range
     */
    public static SeriesPlan plan(long fromMs, long toMs, String interval, Agg agg, int maxPoints, long now) {
        if (fromMs >= toMs) {
            throw new IllegalArgumentException("from must be before to");
        }
        if (maxPoints < 1 || maxPoints > MAX_MAX_POINTS) {
            throw new IllegalArgumentException("maxPoints: expected 1 to " + MAX_MAX_POINTS + ", got " + maxPoints);
        }
        long range = toMs - fromMs;
        String iv = interval == null ? "" : interval.trim().toLowerCase(Locale.ROOT);
        if (iv.isEmpty()) {
            boolean rawKept = fromMs >= now - RAW_RETENTION.toMillis();
            if (range <= RAW_AUTO_MAX.toMillis() && rawKept) {
                return new SeriesPlan(SeriesSource.RAW, fromMs, toMs, agg, bucket(fromMs, toMs, 1, maxPoints), true,
                        maxPoints);
            }
            long least = range <= MINUTE_AUTO_MAX.toMillis() ? MINUTE
                    : range <= HOURLY_AUTO_MAX.toMillis() ? HOUR : DAY;
            if (fromMs < now - MINUTE_RETENTION.toMillis()) {
                least = Math.max(least, HOUR);
            }
            return windows(fromMs, toMs, agg, bucket(fromMs, toMs, least, maxPoints), maxPoints);
        }
        if (iv.equals("raw")) {
            requireRawRange(range, "raw");
            return new SeriesPlan(SeriesSource.RAW, fromMs, toMs, agg, bucket(fromMs, toMs, 1, maxPoints), true,
                    maxPoints);
        }
        long wanted = parseDuration(interval);
        if (wanted < MINUTE) {
            requireRawRange(range, interval.trim());
            return new SeriesPlan(SeriesSource.RAW, fromMs, toMs, agg, bucket(fromMs, toMs, wanted, maxPoints), false,
                    maxPoints);
        }
        // The windows are a minute long: a bucket that is not a whole number of minutes would split none of them
        // and only make bucket sizes uneven, so it is rounded up.
        long minutes = (wanted + MINUTE - 1) / MINUTE * MINUTE;
        return windows(fromMs, toMs, agg, bucket(fromMs, toMs, minutes, maxPoints), maxPoints);
    }

    /** The same plan for part of the range, read from {@code source}; for reading a range from several series. */
    public SeriesPlan part(SeriesSource source, long partFromMs, long partToMs) {
        return new SeriesPlan(source, partFromMs, partToMs, agg, bucketMs, false, maxPoints);
    }

    private static SeriesPlan windows(long fromMs, long toMs, Agg agg, long bucketMs, int maxPoints) {
        return new SeriesPlan(SeriesSource.windowsFor(bucketMs), fromMs, toMs, agg, bucketMs, false, maxPoints);
    }

    /** The interval the answer has: {@code raw} for points as stored, else the bucket as an InfluxQL duration. */
    public String intervalName(boolean stored) {
        return stored ? "raw" : InfluxQl.duration(bucketMs);
    }

    /**
     * How many {@code GROUP BY time(bucket)} buckets the range touches: InfluxDB aligns buckets to the epoch, so the
     * first and last may be partial.
     */
    public static long bucketCount(long fromMs, long toMs, long bucketMs) {
        return Math.floorDiv(toMs, bucketMs) - Math.floorDiv(fromMs, bucketMs) + 1;
    }

    /** The smallest bucket of at least {@code least} ms (itself, else a nice size) that keeps to maxPoints buckets. */
    static long bucket(long fromMs, long toMs, long least, int maxPoints) {
        if (bucketCount(fromMs, toMs, least) <= maxPoints) {
            return least;
        }
        for (long b : NICE) {
            if (b >= least && bucketCount(fromMs, toMs, b) <= maxPoints) {
                return b;
            }
        }
        long b = Math.max(least, NICE[NICE.length - 1]);
        while (bucketCount(fromMs, toMs, b) > maxPoints) {
            b *= 2;
        }
        return b;
    }

    /**
     * A positive duration such as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}, {@code 1w}, in ms.
     *
     * @throws IllegalArgumentException on anything else
     */
    static long parseDuration(String value) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        long amount = m.matches() ? Long.parseLong(m.group(1)) : 0;
        if (amount <= 0) {
            throw new IllegalArgumentException(
                    "interval: expected raw or a duration such as 10s, 1m, 1h, 1d; got " + value);
        }
        return amount * switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> MINUTE;
            case "h" -> HOUR;
            case "d" -> DAY;
            default -> 7 * DAY;
        };
    }

    private static void requireRawRange(long range, String interval) {
        if (range > RAW_MAX_RANGE.toMillis()) {
            throw new IllegalArgumentException("interval " + interval + " covers at most "
                    + InfluxQl.duration(RAW_MAX_RANGE.toMillis()) + " of raw points, the range is "
                    + InfluxQl.duration(range) + "; ask for 1m or more, or leave interval out");
        }
    }
}
