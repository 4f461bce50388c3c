package io.streamthings.rules.apps;

import java.util.Objects;

/**
 * A Siddhi app shipped with StreamThings as a template users copy and adapt.
 *
 * @param name        the app's {@code @App:name} (also the rule name it deploys under)
 * @param fileName    the file under {@code src/main/resources/apps/}, e.g. {@code device-silent.siddhi}
 * @param description the app's {@code @App:description}
 * @param appText     the full app text, as shipped (without {@code @app:playback}, which the platform adds)
 */
public record ShippedApp(String name, String fileName, String description, String appText) {

    public ShippedApp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(appText, "appText");
    }
}
