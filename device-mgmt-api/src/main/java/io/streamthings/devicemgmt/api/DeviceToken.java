package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** A device's new token after rotation; the old one stops working. */
@Schema(name = "DeviceToken")
public record DeviceToken(String id, String token) {}
