package io.streamthings.ingest.auth;

/**
 * The MQTT topic rules: a device may publish and subscribe only under {@code devices/{itsId}/}; the service account
 * anywhere under {@code devices/}, through a shared subscription too. Wildcards may narrow a filter below a device's
 * own prefix but never stand for the prefix itself.
 */
public final class TopicAcl {

    /** The first level of every device topic. */
    public static final String ROOT = "devices";

    private static final String SHARE = "$share/";

    private TopicAcl() {}

    /** True when the device may use this topic or topic filter: it lies below {@code devices/{deviceId}/}. */
    public static boolean deviceMayUse(String deviceId, String topic) {
        if (deviceId == null || deviceId.isEmpty() || topic == null || hasWildcardOrSlash(deviceId)) {
            return false;
        }
        String prefix = ROOT + "/" + deviceId + "/";
        // The prefix is literal, so no wildcard can stand for it; the rest must not be empty.
        return topic.startsWith(prefix) && topic.length() > prefix.length();
    }

    /** True when the service account may use this topic or filter: under {@code devices/}, shared or not. */
    public static boolean serviceMayUse(String topic) {
        if (topic == null) {
            return false;
        }
        String t = topic;
        if (t.startsWith(SHARE)) {
            int groupEnd = t.indexOf('/', SHARE.length());
            if (groupEnd < 0) {
                return false;
            }
            t = t.substring(groupEnd + 1);
        }
        return t.startsWith(ROOT + "/") && t.length() > ROOT.length() + 1;
    }

    /**
     * The device id of a concrete device topic {@code devices/{id}/...}, or null when the topic is not one.
     */
    public static String deviceIdOf(String topic) {
        if (topic == null || !topic.startsWith(ROOT + "/")) {
            return null;
        }
        int start = ROOT.length() + 1;
        int end = topic.indexOf('/', start);
        if (end <= start) {
            return null;
        }
        String id = topic.substring(start, end);
        return hasWildcardOrSlash(id) ? null : id;
    }

    private static boolean hasWildcardOrSlash(String id) {
        return id.indexOf('+') >= 0 || id.indexOf('#') >= 0 || id.indexOf('/') >= 0;
    }
}
