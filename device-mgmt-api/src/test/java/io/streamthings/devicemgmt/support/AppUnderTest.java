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

/** The real application on the shared embedded servers, with a database of its own. */
public final class AppUnderTest {

    private final Path passwordFile;
    private final String jdbcUrl;
    private final DropwizardAppExtension<DeviceMgmtConfiguration> extension;

    private AppUnderTest(String name) {
        try {
            passwordFile = Files.createTempDirectory("device-mgmt-" + name).resolve("initial-admin-password");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestServers servers = TestServers.get();
        jdbcUrl = servers.newDatabase(name);
        extension = new DropwizardAppExtension<>(DeviceMgmtApplication.class,
                ResourceHelpers.resourceFilePath("test-config.yml"),
                ConfigOverride.config("database.url", jdbcUrl),
                ConfigOverride.config("database.user", "postgres"),
                ConfigOverride.config("database.password", "postgres"),
                ConfigOverride.config("kafka.bootstrapServers", servers.bootstrapServers()),
                ConfigOverride.config("auth.adminPasswordFile", passwordFile.toString()));
    }

    public static AppUnderTest create(String name) {
        return new AppUnderTest(name);
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
