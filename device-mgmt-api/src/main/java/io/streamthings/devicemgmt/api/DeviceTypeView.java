package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A device type as the API shows it. */
@Schema(name = "DeviceType")
public record DeviceTypeView(
        String name,
        String description,
        List<Feature> features,
        List<MetricSpec> metrics,
        List<PropertySpec> properties,
        List<String> transports,
        Instant createdAt,
        Instant updatedAt) {}
