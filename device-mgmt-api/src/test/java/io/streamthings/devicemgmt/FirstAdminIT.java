package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.devicemgmt.auth.FirstAdmin;
import io.streamthings.devicemgmt.auth.PasswordHasher;
import io.streamthings.devicemgmt.db.UserDao;
import io.streamthings.devicemgmt.db.UserRow;
import io.streamthings.devicemgmt.support.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/** The first admin on a real PostgreSQL, with and without a password from the environment. */
class FirstAdminIT {

    private final PasswordHasher hasher = new PasswordHasher(4);

    @Test
    void shouldTakeThePasswordFromTheEnvironmentAndWriteNoFile() throws Exception {
        Jdbi jdbi = migratedDatabase("first_admin_env");
        Path file = Files.createTempDirectory("first-admin").resolve("pw");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        boolean created = new FirstAdmin(jdbi, hasher, file, new PrintStream(console, true, StandardCharsets.UTF_8),
                true).ensure(Optional.of("from-the-environment"));

        assertThat(created).isTrue();
        UserRow admin = jdbi.onDemand(UserDao.class).find("admin").orElseThrow();
        assertThat(admin.tenant()).isEqualTo("default");
        assertThat(admin.roles()).containsExactly("admin");
        assertThat(hasher.verify("from-the-environment", admin.passwordHash())).isTrue();
        assertThat(file).doesNotExist();
        assertThat(console.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldGenerateAPasswordOnceAndNeverAgain() throws Exception {
        Jdbi jdbi = migratedDatabase("first_admin_generated");
        Path file = Files.createTempDirectory("first-admin").resolve("nested").resolve("pw");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        FirstAdmin firstAdmin = new FirstAdmin(jdbi, hasher, file,
                new PrintStream(console, true, StandardCharsets.UTF_8), true);

        assertThat(firstAdmin.ensure(Optional.empty())).isTrue();
        String password = Files.readString(file).trim();
        assertThat(firstAdmin.ensure(Optional.of("ignored-now"))).isFalse();

        assertThat(password).hasSize(24);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains(password).containsOnlyOnce("first admin");
        assertThat(hasher.verify(password, jdbi.onDemand(UserDao.class).find("admin").orElseThrow().passwordHash()))
                .isTrue();
    }

    @Test
    void shouldNotPrintTheGeneratedPasswordWhenStdoutIsNotATerminal() throws Exception {
        Jdbi jdbi = migratedDatabase("first_admin_not_a_terminal");
        Path file = Files.createTempDirectory("first-admin").resolve("pw");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        boolean created = new FirstAdmin(jdbi, hasher, file, new PrintStream(console, true, StandardCharsets.UTF_8),
                false).ensure(Optional.empty());

        assertThat(created).isTrue();
        String password = Files.readString(file).trim();
        assertThat(password).hasSize(24);
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(password)
                .contains(file.toAbsolutePath().toString());
    }

    @Test
    void shouldRefuseAnEnvironmentPasswordLongerThanBcryptReads() throws Exception {
        Jdbi jdbi = migratedDatabase("first_admin_too_long");
        Path file = Files.createTempDirectory("first-admin").resolve("pw");
        FirstAdmin firstAdmin = new FirstAdmin(jdbi, hasher, file, new PrintStream(new ByteArrayOutputStream()), true);

        // 40 two-byte characters: 80 bytes, although only 40 characters.
        assertThatThrownBy(() -> firstAdmin.ensure(Optional.of("é".repeat(40))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(FirstAdmin.PASSWORD_ENV).hasMessageContaining("80 bytes")
                .hasMessageContaining("72");

        assertThat(jdbi.onDemand(UserDao.class).find("admin")).isEmpty();
        assertThat(firstAdmin.ensure(Optional.of("é".repeat(36)))).isTrue();
    }

    private static Jdbi migratedDatabase(String name) {
        String url = TestServers.get().newDatabase(name);
        Flyway.configure().dataSource(url, "postgres", "postgres").locations("classpath:db/migration").load()
                .migrate();
        return Jdbi.create(url, "postgres", "postgres").installPlugin(new SqlObjectPlugin());
    }
}
