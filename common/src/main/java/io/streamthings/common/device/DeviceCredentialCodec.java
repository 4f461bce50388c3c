package io.streamthings.common.device;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The JSON form of a {@link DeviceCredential} on {@code device.credentials}, written and read with Jackson's streaming
 * API only:
 *
 * <pre>{"tenant":"t","deviceId":"d","deviceType":"thermo","owner":"alice","status":"ACTIVE",
 *  "salt":"base64url","tokenHash":"base64url","updatedAt":1764131000123}</pre>
 *
 * Unknown fields are ignored when reading so that a newer writer does not break an older reader.
 */
public final class DeviceCredentialCodec {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

    private DeviceCredentialCodec() {}

    /** The credential as UTF-8 JSON. */
    public static byte[] encode(DeviceCredential credential) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("tenant", credential.tenant());
            g.writeStringField("deviceId", credential.deviceId());
            g.writeStringField("deviceType", credential.deviceType());
            g.writeStringField("owner", credential.owner());
            g.writeStringField("status", credential.status().name());
            g.writeStringField("salt", B64.encodeToString(credential.salt()));
            g.writeStringField("tokenHash", B64.encodeToString(credential.tokenHash()));
            g.writeNumberField("updatedAt", credential.updatedAt());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a credential from UTF-8 JSON.
     *
     * @throws IllegalArgumentException when the input is not JSON, not an object, lacks a field, or has a bad value
     */
    public static DeviceCredential decode(byte[] json) {
        if (json == null) {
            throw new IllegalArgumentException("credential JSON is null (a tombstone?)");
        }
        String tenant = null;
        String deviceId = null;
        String deviceType = null;
        String owner = null;
        String status = null;
        String salt = null;
        String tokenHash = null;
        Long updatedAt = null;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("credential must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "tenant" -> tenant = text(p, field, value);
                    case "deviceId" -> deviceId = text(p, field, value);
                    case "deviceType" -> deviceType = text(p, field, value);
                    case "owner" -> owner = text(p, field, value);
                    case "status" -> status = text(p, field, value);
                    case "salt" -> salt = text(p, field, value);
                    case "tokenHash" -> tokenHash = text(p, field, value);
                    case "updatedAt" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw new IllegalArgumentException("updatedAt must be an integer");
                        }
                        updatedAt = p.getLongValue();
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed credential JSON: " + e.getMessage(), e);
        }
        try {
            return new DeviceCredential(
                    require(tenant, "tenant"),
                    require(deviceId, "deviceId"),
                    require(deviceType, "deviceType"),
                    require(owner, "owner"),
                    DeviceStatus.valueOf(require(status, "status")),
                    B64_DECODER.decode(require(salt, "salt")),
                    B64_DECODER.decode(require(tokenHash, "tokenHash")),
                    require(updatedAt, "updatedAt"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad credential: " + e.getMessage(), e);
        }
    }

    private static String text(JsonParser p, String field, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return p.getText();
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return value;
    }
}
