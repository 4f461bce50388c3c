package io.streamthings.devicemgmt.policies;

/**
 * What decides which policies reach a device: its type, its groups, its owner and the owner's roles (a user's roles, or
 * an OAuth client's when a client enrolled it).
 */
public record DeviceContextRow(String id, String type, String owner, String[] groups, String[] roles) {}
