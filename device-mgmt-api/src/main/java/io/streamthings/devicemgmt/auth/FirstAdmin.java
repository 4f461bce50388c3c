package io.streamthings.devicemgmt.auth;

import io.streamthings.devicemgmt.core.TenantSetup;
import io.streamthings.devicemgmt.db.UserDao;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the platform's first admin, user {@code admin} of tenant {@code default}, when no such user exists. The
 * password comes from {@code STREAMTHINGS_ADMIN_PASSWORD}; without it one is generated, printed once, and written to
 * a file only its owner can read.
 */
public class FirstAdmin {

    public static final String USERNAME = "admin";
    public static final String PASSWORD_ENV = "STREAMTHINGS_ADMIN_PASSWORD";

    private static final Logger LOG = LoggerFactory.getLogger(FirstAdmin.class);

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final Path passwordFile;
    private final PrintStream console;

    public FirstAdmin(Jdbi jdbi, PasswordHasher hasher, Path passwordFile, PrintStream console) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.passwordFile = passwordFile;
        this.console = console;
    }

    /** Creates the admin unless one exists; returns true when it did. */
    public boolean ensure(Optional<String> passwordFromEnv) throws IOException {
        if (jdbi.onDemand(UserDao.class).find(USERNAME).isPresent()) {
            return false;
        }
        boolean generated = passwordFromEnv.filter(p -> !p.isBlank()).isEmpty();
        String password = generated ? AccessTokens.newSecret().substring(0, 24) : passwordFromEnv.get();
        String hash = hasher.hash(password);
        boolean created = jdbi.inTransaction(h -> {
            TenantSetup.ensure(h, TenantSetup.DEFAULT_TENANT);
            UserDao users = h.attach(UserDao.class);
            if (users.insert(USERNAME, TenantSetup.DEFAULT_TENANT, hash) == 0) {
                return false; // another instance won the race
            }
            users.addRoles(TenantSetup.DEFAULT_TENANT, USERNAME, List.of(Scopes.ADMIN_ROLE));
            return true;
        });
        if (created && generated) {
            writeSecret(password);
            // Printed on purpose, once: the operator has no other way to learn it.
            console.println("StreamThings first admin created: user 'admin', password '" + password
                    + "' (also written to " + passwordFile.toAbsolutePath() + ", mode 600)");
            LOG.info("First admin created; its generated password was printed to stdout and written to {}",
                    passwordFile.toAbsolutePath());
        } else if (created) {
            LOG.info("First admin created with the password from {}", PASSWORD_ENV);
        }
        return created;
    }

    private void writeSecret(String password) throws IOException {
        Path parent = passwordFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(passwordFile.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, password + System.lineSeparator(), StandardCharsets.UTF_8);
        Files.move(tmp, passwordFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
