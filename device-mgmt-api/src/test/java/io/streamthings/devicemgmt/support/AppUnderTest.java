package io.streamthings.devicemgmt.support;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.streamthings.devicemgmt.DeviceMgmtApplication;
import io.streamthings.devicemgmt.DeviceMgmtConfiguration;
import io.streamthings.devicemgmt.auth.FirstAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real application on the shared embedded servers, with a database of its own. */
public final class AppUnderTest {

    private final Path passwordFile;
    private final String jdbcUrl;
    private final DropwizardAppExtension<DeviceMgmtConfiguration> extension;

    private AppUnderTest(Class<? extends DeviceMgmtApplication> app, String name, ConfigOverride... extra) {
        try {
            passwordFile = Files.createTempDirectory("device-mgmt-" + name).resolve("initial-admin-password");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestServers servers = TestServers.get();
        jdbcUrl = servers.newDatabase(name);
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("database.url", jdbcUrl),
                ConfigOverride.config("database.user", "postgres"),
                ConfigOverride.config("database.password", "postgres"),
                ConfigOverride.config("kafka.bootstrapServers", servers.bootstrapServers()),
                ConfigOverride.config("auth.adminPasswordFile", passwordFile.toString())));
        overrides.addAll(List.of(extra));
        extension = new DropwizardAppExtension<>(app,
                ResourceHelpers.resourceFilePath("test-config.yml"), overrides.toArray(ConfigOverride[]::new));
    }

    public static AppUnderTest create(String name) {
        return new AppUnderTest(DeviceMgmtApplication.class, name);
    }

    /** A subclass of the application (e.g. one registering a resource of the test's own), with config overrides. */
    public static AppUnderTest create(Class<? extends DeviceMgmtApplication> app, String name,
            ConfigOverride... extra) {
        return new AppUnderTest(app, name, extra);
    }

    /** The application with more config overrides, e.g. {@code influx.url} of a real InfluxDB. */
    public static AppUnderTest create(String name, ConfigOverride... extra) {
        return new AppUnderTest(DeviceMgmtApplication.class, name, extra);
    }

    public DropwizardAppExtension<DeviceMgmtConfiguration> extension() {
        return extension;
    }

    public Path passwordFile() {
        return passwordFile;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The first admin's password: from the environment if set there, else from the generated file. */
    public String adminPassword() {
        String fromEnv = System.getenv(FirstAdmin.PASSWORD_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return Files.readString(passwordFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Api api() {
        return new Api("http://127.0.0.1:" + extension.getLocalPort());
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + extension.getAdminPort();
    }
}
