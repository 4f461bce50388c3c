package io.streamthings.common.kafka;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Turns a key or value of a topic into the bytes of a Kafka record and back.
 *
 * @param <T> the type on the Java side
 */
public interface Codec<T> {

    /** A plain string as UTF-8; null stays null. */
    Codec<String> UTF8 = new Codec<>() {
        @Override
        public byte[] encode(String value) {
            return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    };

    /** A codec of two functions, e.g. the static {@code encode} and {@code decode} of a codec class. */
    static <T> Codec<T> of(Function<T, byte[]> encoder, Function<byte[], T> decoder) {
        return new Codec<>() {
            @Override
            public byte[] encode(T value) {
                return encoder.apply(value);
            }

            @Override
            public T decode(byte[] bytes) {
                return decoder.apply(bytes);
            }
        };
    }

    /**
     * The record bytes of a value.
     *
     * @throws IllegalArgumentException when the value cannot be written (null, unless the codec says otherwise)
     */
    byte[] encode(T value);

    /**
     * The value of record bytes.
     *
     * @throws IllegalArgumentException when the bytes are not a value of this codec (null, unless the codec says
     *     otherwise): a reader skips such a record with a warning rather than stopping
     */
    T decode(byte[] bytes);
}
