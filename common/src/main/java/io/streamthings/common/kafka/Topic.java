package io.streamthings.common.kafka;

import java.util.Objects;

/**
 * A topic bound to the codecs of its keys and values, defined once in {@link Topics}: a writer and a reader of the
 * topic take both from here, so they cannot disagree on the format.
 *
 * @param <K> the key type
 * @param <V> the value type; a null value is a tombstone on a compacted topic and never reaches the value codec
 */
public final class Topic<K, V> extends TopicSpec {

    private final Codec<K> keys;
    private final Codec<V> values;

    /** The topic {@code spec} with these codecs. */
    public Topic(TopicSpec spec, Codec<K> keys, Codec<V> values) {
        super(spec.name(), spec.partitions(), spec.compacted(), spec.maxMessageBytes());
        this.keys = Objects.requireNonNull(keys, "keys");
        this.values = Objects.requireNonNull(values, "values");
    }

    /** The key's record bytes. */
    public byte[] encodeKey(K key) {
        return keys.encode(key);
    }

    /**
     * The key of record bytes.
     *
     * @throws IllegalArgumentException when the bytes are not a key of this topic
     */
    public K decodeKey(byte[] key) {
        return keys.decode(key);
    }

    /** The value's record bytes; null (a tombstone) for null. */
    public byte[] encodeValue(V value) {
        return value == null ? null : values.encode(value);
    }

    /**
     * The value of record bytes; null for a tombstone.
     *
     * @throws IllegalArgumentException when the bytes are not a value of this topic
     */
    public V decodeValue(byte[] value) {
        return value == null ? null : values.decode(value);
    }

    /** The key codec. */
    public Codec<K> keyCodec() {
        return keys;
    }

    /** The value codec. */
    public Codec<V> valueCodec() {
        return values;
    }
}
