package io.streamthings.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed key store for MQTT over TLS, made once in the data folder with the JDK's {@code keytool} (the JDK has
 * no public API for certificates) and kept across starts, so that devices that pinned the certificate keep working.
 * For trying TLS out: devices must be told to trust this certificate ({@code mosquitto_pub --insecure} or its PEM).
 */
final class SelfSignedKeyStore {

    static final String FILE = "mqtt-self-signed.p12";
    static final String PASSWORD_FILE = "mqtt-self-signed.password";

    /** The key store and its password. */
    record KeyStore(Path path, String password) {}

    private SelfSignedKeyStore() {}

    /** The key store under {@code dir}, generated on the first call. */
    static KeyStore ensure(Path dir) throws IOException {
        Path store = dir.resolve(FILE);
        Path passwordFile = dir.resolve(PASSWORD_FILE);
        if (Files.exists(store) && Files.exists(passwordFile)) {
            return new KeyStore(store, Files.readString(passwordFile, StandardCharsets.UTF_8).trim());
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(store);
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", "mqtt", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "825", "-dname", "CN=localhost, O=StreamThings",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", password, "-keypass", password);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while generating the MQTT key store", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("keytool could not generate " + store + ": " + output.strip());
        }
        Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        return new KeyStore(store, password);
    }
}
