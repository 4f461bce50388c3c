package io.streamthings.flink.batch;

import io.streamthings.common.influx.WindowSeries;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * When the scheduled rollups run, and how far they have got: a window is due once it has closed and the grace time
 * after it has passed (the real-time job still updates a minute window for its allowed lateness, and flushes to
 * InfluxDB after that). The progress ("rolled up until") of each series is kept in a small properties file, so a
 * platform that was down catches up on the windows it missed, at most {@code maxCatchUpMs} back. The days are never
 * rolled up past the hours they are read from.
 *
 * @param graceMs time after a window's end before it is rolled up, ms
 * @param firstRunMs how far back the first run ever goes, ms
 * @param maxCatchUpMs how far back a catch-up goes at most (the minute windows' retention: older ones are gone), ms
 */
public record RollupSchedule(long graceMs, long firstRunMs, long maxCatchUpMs) {

    /** Five minutes of grace, a first run over the last day, catch-up of up to 90 days. */
    public static final RollupSchedule DEFAULT = new RollupSchedule(300_000L, 86_400_000L, 90 * 86_400_000L);

    /**
     * The range [from, to) of {@code series} to roll up now, or empty when nothing new is due.
     *
     * @param doneUntil the end of what was rolled up, or null when nothing ever was
     * @param hoursDoneUntil for the days: the end of the hourly rollups (null: none yet, so no day is due)
     * @param now the wall clock, epoch ms
     */
    public Optional<long[]> due(WindowSeries series, Long doneUntil, Long hoursDoneUntil, long now) {
        if (series == WindowSeries.DAY && hoursDoneUntil == null) {
            return Optional.empty();
        }
        return due(series.windowMs(), doneUntil, series == WindowSeries.DAY ? hoursDoneUntil : Long.MAX_VALUE, now);
    }

    /**
     * The range [from, to) of whole windows of {@code windowMs} to process now, or empty when nothing new is due:
     * the windows after {@code doneUntil} that closed at least the grace time ago and end by {@code inputUntil}.
     *
     * @param doneUntil the end of what was processed, or null when nothing ever was
     * @param inputUntil the end of the input the windows are made from (Long.MAX_VALUE: no such limit)
     * @param now the wall clock, epoch ms
     */
    public Optional<long[]> due(long windowMs, Long doneUntil, long inputUntil, long now) {
        long w = windowMs;
        long closedUntil = Math.min(Math.floorDiv(now - graceMs, w) * w, Math.floorDiv(inputUntil, w) * w);
        long from = doneUntil != null ? doneUntil : Math.floorDiv(now - firstRunMs, w) * w;
        from = Math.max(from, Math.floorDiv(now - maxCatchUpMs, w) * w);
        return from < closedUntil ? Optional.of(new long[] {from, closedUntil}) : Optional.empty();
    }

    /** The progress file's key of a measurement written by a scheduled batch job. */
    public static String key(String measurement) {
        return measurement + ".doneUntil";
    }

    static String key(WindowSeries series) {
        return key(series.measurement());
    }

    /** The end of what was rolled up into {@code series}, from the progress file, or null. */
    public static Long doneUntil(Path file, WindowSeries series) throws IOException {
        return doneUntil(file, key(series));
    }

    /** The progress under {@code key} in the progress file, or null. */
    public static Long doneUntil(Path file, String key) throws IOException {
        Properties p = load(file);
        String value = p.getProperty(key);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IOException(file + ": " + key + " is not a number: " + value);
        }
    }

    /** Records in the progress file that {@code series} is rolled up until {@code doneUntil} (atomically). */
    public static void markDone(Path file, WindowSeries series, long doneUntil) throws IOException {
        markDone(file, key(series), doneUntil);
    }

    /** Records the progress {@code doneUntil} under {@code key} in the progress file (atomically). */
    public static void markDone(Path file, String key, long doneUntil) throws IOException {
        Properties p = load(file);
        p.setProperty(key, Long.toString(doneUntil));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "batch jobs done until (epoch ms, exclusive); delete a line to run that series again");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        return p;
    }
}
