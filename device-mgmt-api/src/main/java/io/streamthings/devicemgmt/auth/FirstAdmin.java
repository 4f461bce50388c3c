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
 * password comes from {@code STREAMTHINGS_ADMIN_PASSWORD} (at most bcrypt's 72 bytes in UTF-8, or the start fails
 * saying so); without it one is generated and written to a file only its owner can read, and printed once when
 * standard output is a terminal. Not otherwise: output that is not a terminal is usually a log file or a log
 * collector, where a password would outlive its purpose and be read by whoever reads logs.
 */
public class FirstAdmin {

    public static final String USERNAME = "admin";
    public static final String PASSWORD_ENV = "STREAMTHINGS_ADMIN_PASSWORD";

    private static final Logger LOG = LoggerFactory.getLogger(FirstAdmin.class);

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final Path passwordFile;
    private final PrintStream console;
    private final boolean terminal;

    /**
     * @param console where the generated password is shown, when {@code terminal}
     * @param terminal whether {@code console} is a terminal a person reads ({@code System.console() != null})
     */
    public FirstAdmin(Jdbi jdbi, PasswordHasher hasher, Path passwordFile, PrintStream console, boolean terminal) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.passwordFile = passwordFile;
        this.console = console;
        this.terminal = terminal;
    }

    /**
     * Creates the admin unless one exists; returns true when it did.
     *
     * @throws IllegalArgumentException when the password from the environment is longer than bcrypt reads
     */
    public boolean ensure(Optional<String> passwordFromEnv) throws IOException {
        if (jdbi.onDemand(UserDao.class).find(USERNAME).isPresent()) {
            return false;
        }
        boolean generated = passwordFromEnv.filter(p -> !p.isBlank()).isEmpty();
        if (!generated) {
            int bytes = passwordFromEnv.get().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > PasswordHasher.MAX_BYTES) {
                // bcrypt ignores what follows byte 72: refusing beats a password that is not what the operator thinks.
                throw new IllegalArgumentException(PASSWORD_ENV + " is " + bytes + " bytes long in UTF-8; bcrypt reads "
                        + "at most " + PasswordHasher.MAX_BYTES + ": choose a shorter password");
            }
        }
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
            if (terminal) {
                // Printed on purpose, once, to the person at the terminal.
                console.println("StreamThings first admin created: user 'admin', password '" + password
                        + "' (also written to " + passwordFile.toAbsolutePath() + ", mode 600)");
            } else {
                console.println("StreamThings first admin created: user 'admin'; its password is in "
                        + passwordFile.toAbsolutePath() + " (mode 600)");
            }
            LOG.info("First admin created; its generated password was written to {}", passwordFile.toAbsolutePath());
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
