package io.streamthings.rules.apps;

import io.siddhi.core.SiddhiAppRuntime;
import io.siddhi.core.SiddhiManager;
import io.siddhi.core.event.Event;
import io.siddhi.core.stream.input.InputHandler;
import io.siddhi.core.stream.output.StreamCallback;
import io.siddhi.query.api.definition.Attribute;
import io.siddhi.query.api.definition.StreamDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a shipped app in plain Siddhi with {@code @app:playback}, so Siddhi's clock is the timestamp of the events
 * sent (time windows, {@code within} and absence timers follow the test data, not the wall clock).
 *
 * <p>Events are given as attribute maps and laid out in the order of the runtime's own TelemetryStream definition.
 * Playback processing is synchronous (no {@code @async} in the shipped apps): when {@link #send} returns, every alert
 * it caused is in {@link #alerts()}.
 */
final class PlaybackRun implements AutoCloseable {

    /** One AlertStream event: its Siddhi timestamp and its attributes by name, in declaration order. */
    record Alert(long eventTimestamp, Map<String, Object> values) {
        Object get(String attribute) {
            if (!values.containsKey(attribute)) {
                throw new IllegalArgumentException("AlertStream has no attribute " + attribute + ": " + values);
            }
            return values.get(attribute);
        }

        String deviceId() {
            return (String) get("deviceId");
        }

        long ts() {
            return (Long) get("ts");
        }

        double doubleValue(String attribute) {
            return (Double) get(attribute);
        }
    }

    private final SiddhiManager manager = new SiddhiManager();
    private final SiddhiAppRuntime runtime;
    private final List<Attribute> telemetryAttributes;
    private final InputHandler input;
    private final List<Alert> alerts = Collections.synchronizedList(new ArrayList<>());

    private PlaybackRun(String playbackAnnotation, String appText) {
        runtime = manager.createSiddhiAppRuntime(playbackAnnotation + "\n" + appText);
        StreamDefinition telemetry = runtime.getStreamDefinitionMap().get("TelemetryStream");
        telemetryAttributes = telemetry.getAttributeList();
        List<Attribute> alertAttributes = runtime.getStreamDefinitionMap().get("AlertStream").getAttributeList();
        runtime.addCallback("AlertStream", new StreamCallback() {
            @Override
            public void receive(Event[] events) {
                for (Event event : events) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (int i = 0; i < alertAttributes.size(); i++) {
                        values.put(alertAttributes.get(i).getName(), event.getData(i));
                    }
                    alerts.add(new Alert(event.getTimestamp(), values));
                }
            }
        });
        input = runtime.getInputHandler("TelemetryStream");
        runtime.start();
    }

    static PlaybackRun of(String appName) {
        return of(appName, "@app:playback");
    }

    /**
     * With another playback annotation, e.g. {@code @app:playback(idle.time = '50 millisecond', increment = '1 sec')}.
     */
    static PlaybackRun of(String appName, String playbackAnnotation) {
        return new PlaybackRun(playbackAnnotation, ShippedApps.named(appName).appText());
    }

    List<String> telemetryAttributeNames() {
        return telemetryAttributes.stream().map(Attribute::getName).toList();
    }

    /** Sends one reading of a device with metric {@code temperature} (and {@code ts} as the event time). */
    PlaybackRun reading(String deviceId, long ts, double temperature) {
        return send(Map.of("deviceId", deviceId, "ts", ts, "temperature", temperature));
    }

    /**
     * Sends one TelemetryStream event with Siddhi timestamp {@code values.get("ts")}; attributes the app declares but
     * the map lacks fail the test (the platform would not feed such a record to the app).
     */
    PlaybackRun send(Map<String, Object> values) {
        Object[] data = new Object[telemetryAttributes.size()];
        for (int i = 0; i < data.length; i++) {
            String name = telemetryAttributes.get(i).getName();
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("TelemetryStream needs " + name + ", missing in " + values);
            }
            data[i] = values.get(name);
        }
        try {
            input.send((Long) values.get("ts"), data);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Siddhi's snapshot of the app's state (windows, tables, half-matched patterns, per-partition state). */
    byte[] snapshot() {
        return runtime.snapshot();
    }

    /** Restores a {@link #snapshot()} taken from a run of the same app. */
    PlaybackRun restore(byte[] snapshot) {
        try {
            runtime.restore(snapshot);
        } catch (io.siddhi.core.exception.CannotRestoreSiddhiAppStateException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    List<Alert> alerts() {
        synchronized (alerts) {
            return List.copyOf(alerts);
        }
    }

    SiddhiAppRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        runtime.shutdown();
        manager.shutdown();
    }
}
