package io.streamthings.rules.apps;

import io.siddhi.query.api.SiddhiApp;
import io.siddhi.query.api.annotation.Annotation;
import io.siddhi.query.api.annotation.Element;
import io.siddhi.query.compiler.SiddhiCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The Siddhi apps StreamThings ships, loaded from the classpath ({@code /apps/*.siddhi}).
 *
 * <p>Name and description come from each app's {@code @App:name} and {@code @App:description}, read with Siddhi's
 * own parser. The apps are parsed once, on first use; a missing file or an app without a name is a packaging bug and
 * fails with an {@link IllegalStateException}.
 */
public final class ShippedApps {

    /** Resource folder of the shipped apps. */
    public static final String RESOURCE_DIR = "apps/";

    /** The shipped files, in the order {@link #all()} returns them. Add a new app here. */
    static final List<String> FILE_NAMES = List.of(
            "threshold-hysteresis.siddhi",
            "n-in-a-row.siddhi",
            "rate-of-change.siddhi",
            "device-silent.siddhi",
            "site-overheat.siddhi",
            "moving-average-crossing.siddhi");

    private ShippedApps() {}

    /** Every shipped app, always in the same order (that of {@link #FILE_NAMES}); an unmodifiable list. */
    public static List<ShippedApp> all() {
        return Holder.APPS;
    }

    /**
     * The shipped app whose {@code @App:name} is {@code name}.
     *
     * @throws NoSuchElementException when no shipped app has that name (including a null name)
     */
    public static ShippedApp named(String name) {
        for (ShippedApp app : all()) {
            if (app.name().equals(name)) {
                return app;
            }
        }
        throw new NoSuchElementException("no shipped app named " + name);
    }

    /** Lazy holder: the apps are read and parsed once, when first asked for. */
    private static final class Holder {
        static final List<ShippedApp> APPS = load();
    }

    private static List<ShippedApp> load() {
        List<ShippedApp> apps = new ArrayList<>();
        for (String fileName : FILE_NAMES) {
            String text = read(RESOURCE_DIR + fileName);
            SiddhiApp parsed = SiddhiCompiler.parse(text);
            String name = annotationValue(parsed, "name");
            if (name == null || name.isBlank()) {
                throw new IllegalStateException(fileName + " has no @App:name");
            }
            String description = annotationValue(parsed, "description");
            apps.add(new ShippedApp(name, fileName, description == null ? "" : description, text));
        }
        return List.copyOf(apps);
    }

    private static String annotationValue(SiddhiApp app, String annotationName) {
        for (Annotation annotation : app.getAnnotations()) {
            if (annotation.getName().equalsIgnoreCase(annotationName)) {
                for (Element element : annotation.getElements()) {
                    if (element.getKey() == null || element.getKey().equalsIgnoreCase("value")) {
                        return element.getValue();
                    }
                }
            }
        }
        return null;
    }

    private static String read(String resource) {
        ClassLoader loader = ShippedApps.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing shipped app resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
