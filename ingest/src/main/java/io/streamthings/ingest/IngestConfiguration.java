package io.streamthings.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.streamthings.ingest.config.IngestConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The configuration of the ingest service run on its own: Dropwizard's server block plus {@code ingest:}. */
public class IngestConfiguration extends Configuration {

    @Valid
    @NotNull
    @JsonProperty
    private IngestConfig ingest = new IngestConfig();

    public IngestConfig getIngest() {
        return ingest;
    }
}
