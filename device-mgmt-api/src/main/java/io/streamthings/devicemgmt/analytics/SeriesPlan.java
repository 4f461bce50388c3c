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
 * {@code maxPoints}, else downsampled); up to {@link #MINUTE_AUTO_MAX} the 1-minute windows; up to
 * {@link #HOURLY_AUTO_MAX} the 1-minute windows in buckets of at least an hour, beyond that of at least a day (the
 * hourly and daily rollups are not written yet, see {@link SeriesSource}). A range that starts before the raw
 * retention ({@link #RAW_RETENTION}) reads the 1-minute windows even when short, since the raw points are gone.
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
    /** Longest range read at 1-minute resolution when no interval is given. */
    public static final Duration MINUTE_AUTO_MAX = Duration.ofDays(2);
    /** Longest range read in hourly buckets when no interval is given; longer ranges get daily buckets at least. */
    public static final Duration HOURLY_AUTO_MAX = Duration.ofDays(60);
    /** Longest range {@code interval=raw} (or a sub-minute interval) may ask for: raw scans cost per reading. */
    public static final Duration RAW_MAX_RANGE = Duration.ofDays(1);
    /** The real-time job's default retention of raw points ({@code --retention.raw}). */
    public static final Duration RAW_RETENTION = Duration.ofDays(7);
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
            return new SeriesPlan(SeriesSource.MINUTE, fromMs, toMs, agg, bucket(fromMs, toMs, least, maxPoints),
                    false, maxPoints);
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
        return new SeriesPlan(SeriesSource.MINUTE, fromMs, toMs, agg, bucket(fromMs, toMs, minutes, maxPoints), false,
                maxPoints);
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
