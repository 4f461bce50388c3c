package io.streamthings.devicemgmt.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.api.BulkResult;
import io.streamthings.devicemgmt.api.DeviceToken;
import io.streamthings.devicemgmt.api.DeviceUpdate;
import io.streamthings.devicemgmt.api.DeviceView;
import io.streamthings.devicemgmt.api.EnrollRequest;
import io.streamthings.devicemgmt.api.EnrolledDevice;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.RequiresScope;
import io.streamthings.devicemgmt.auth.Scopes;
import io.streamthings.devicemgmt.core.BulkEnrollmentService;
import io.streamthings.devicemgmt.core.BulkEnrollmentService.Row;
import io.streamthings.devicemgmt.core.CsvDevices;
import io.streamthings.devicemgmt.core.DeviceFilter;
import io.streamthings.devicemgmt.core.DeviceService;
import io.streamthings.devicemgmt.errors.ApiException;
import io.streamthings.devicemgmt.errors.JsonErrors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.List;

/** Devices: enrollment (one or in bulk), search, changes, token rotation, deletion. */
@Path("/api/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "devices", description = "Devices and their credentials")
public class DeviceResource {

    private static final String CSV = "text/csv";

    private final DeviceService devices;
    private final BulkEnrollmentService bulk;
    private final ObjectMapper json;
    // The hot answers are written to bytes here, once, by writers resolved at start: Jackson's JAX-RS provider would
    // hash every annotation of the resource method (the whole OpenAPI description) on every response to find its
    // cached writer, which cost more than the serialisation.
    private final ObjectWriter deviceWriter;
    private final ObjectWriter enrolledWriter;

    public DeviceResource(DeviceService devices, BulkEnrollmentService bulk, ObjectMapper json) {
        this.devices = devices;
        this.bulk = bulk;
        this.json = json;
        this.deviceWriter = json.writerFor(DeviceView.class);
        this.enrolledWriter = json.writerFor(EnrolledDevice.class);
    }

    private static byte[] bytes(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an API representation always serialises", e);
        }
    }

    /** Enrolls a device; the answer carries its token, shown only this once. */
    @POST
    @RequiresScope(Scopes.DEVICE_MANAGE)
    @Operation(summary = "Enroll a device", description = "Scope: device:manage. The token in the answer is shown "
            + "only here; it is stored as a salted hash. 422 for an unknown type or group, or a missing required "
            + "property.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "201", description = "enrolled",
                        content = @Content(schema = @Schema(implementation = EnrolledDevice.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "409", ref = "Conflict"),
                @ApiResponse(responseCode = "422", ref = "Unprocessable")
            })
    public Response enroll(@Parameter(hidden = true) @Auth Caller caller, @NotNull @Valid EnrollRequest request) {
        EnrolledDevice enrolled = devices.enroll(caller, request);
        return Response.created(UriBuilder.fromResource(DeviceResource.class).path(enrolled.id()).build())
                .entity(bytes(enrolledWriter, enrolled)).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Enrolls up to 10,000 devices from a JSON array; one result per row. */
    @POST
    @Path("/bulk")
    @RequiresScope(Scopes.DEVICE_MANAGE)
    @Operation(summary = "Enroll devices in bulk (JSON)", description = "Scope: device:manage. A JSON array of "
            + "enrollment requests, at most 10,000. Each row is validated alone; valid rows are enrolled in chunks of "
            + "1,000, one transaction each. The answer lists every row with its token or its error.",
            requestBody = @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    array = @ArraySchema(schema = @Schema(implementation = EnrollRequest.class)))),
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "per-row results",
                        content = @Content(schema = @Schema(implementation = BulkResult.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "413", ref = "PayloadTooLarge")
            })
    public BulkResult bulkJson(@Parameter(hidden = true) @Auth Caller caller, JsonNode body) {
        if (body == null || !body.isArray()) {
            throw ApiException.badRequest("expected a JSON array of devices");
        }
        List<Row> rows = new ArrayList<>(body.size());
        for (JsonNode element : body) {
            if (!element.isObject()) {
                rows.add(new Row(null, "not a JSON object"));
                continue;
            }
            try {
                rows.add(new Row(json.treeToValue(element, EnrollRequest.class), null));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                rows.add(new Row(null, JsonErrors.describe(e)));
            }
        }
        return bulk.enroll(caller, rows);
    }

    /** Enrolls up to 10,000 devices from CSV; one result per data line. */
    @POST
    @Path("/bulk")
    @Consumes(CSV)
    @RequiresScope(Scopes.DEVICE_MANAGE)
    @Operation(summary = "Enroll devices in bulk (CSV)", description = "Scope: device:manage. The first line names "
            + "the columns: id, name, type, owner, groups (separated by ';'); any other column becomes a property.",
            requestBody = @RequestBody(content = @Content(mediaType = CSV, schema = @Schema(type = "string",
                    example = "id,name,type,groups,site\nsensor-1,Sensor 1,thermometer,plant-a,north\n"))),
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "per-row results",
                        content = @Content(schema = @Schema(implementation = BulkResult.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "413", ref = "PayloadTooLarge")
            })
    public BulkResult bulkCsv(@Parameter(hidden = true) @Auth Caller caller, String csv) {
        List<CsvDevices.Parsed> parsed;
        try {
            parsed = CsvDevices.parse(csv == null ? "" : csv);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return bulk.enroll(caller, parsed.stream().map(p -> new Row(p.request(), p.error())).toList());
    }

    /** Searches the devices the caller may see. */
    @GET
    @RequiresScope(Scopes.DEVICE_VIEW)
    @Operation(summary = "Search devices", description = "Scope: device:view. Only devices the caller may act on: "
            + "its own, those in groups shared with its roles, or all of the tenant for an admin.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "a page: items, total, offset, limit"),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public Page<DeviceView> search(@Parameter(hidden = true) @Auth Caller caller,
            @Parameter(description = "device type name") @QueryParam("type") String type,
            @Parameter(description = "ACTIVE, INACTIVE, BLOCKED or REMOVED") @QueryParam("status") String status,
            @Parameter(description = "group id") @QueryParam("group") String group,
            @Parameter(description = "text found in the id or name, case-insensitive") @QueryParam("q") String q,
            @Parameter(description = "true: only online devices; false: only offline ones")
                    @QueryParam("online") String online,
            @Parameter(description = "items to skip, default 0") @QueryParam("offset") String offset,
            @Parameter(description = "page size, 1-1000, default 50") @QueryParam("limit") String limit) {
        Paging paging = Paging.of(offset, limit);
        return devices.search(caller, DeviceFilter.of(type, status, group, q, online), paging.offset(), paging.limit());
    }

    /** One device, with status, lastSeen and online. */
    @GET
    @Path("/{id}")
    @RequiresScope(Scopes.DEVICE_VIEW)
    @Operation(summary = "Get a device", description = "Scope: device:view. 404 also when the caller may not act "
            + "on the device.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_VIEW),
            responses = {
                @ApiResponse(responseCode = "200", description = "the device",
                        content = @Content(schema = @Schema(implementation = DeviceView.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public Response get(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        return Response.ok(bytes(deviceWriter, devices.get(caller, id)), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Changes a device's name, owner, status or properties. */
    @PUT
    @Path("/{id}")
    @RequiresScope(Scopes.DEVICE_MANAGE)
    @Operation(summary = "Change a device", description = "Scope: device:manage. Absent fields stay as they are. A "
            + "status change is published to device.credentials at once; REMOVED withdraws the credential.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the device",
                        content = @Content(schema = @Schema(implementation = DeviceView.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public DeviceView update(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id,
            @NotNull @Valid DeviceUpdate update) {
        return devices.update(caller, id, update);
    }

    /** Deletes a device and withdraws its credential. */
    @DELETE
    @Path("/{id}")
    @RequiresScope(Scopes.DEVICE_MANAGE)
    @Operation(summary = "Delete a device", description = "Scope: device:manage. Publishes a tombstone to "
            + "device.credentials and a removed event.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "204", description = "deleted"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound")
            })
    public Response delete(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        devices.delete(caller, id);
        return Response.noContent().build();
    }

    /** Replaces the device's token; the old one stops working. */
    @POST
    @Path("/{id}/token")
    @RequiresScope(Scopes.DEVICE_MANAGE)
    @Operation(summary = "Rotate a device token", description = "Scope: device:manage. The new token is shown only "
            + "here.",
            security = @SecurityRequirement(name = "bearer", scopes = Scopes.DEVICE_MANAGE),
            responses = {
                @ApiResponse(responseCode = "200", description = "the new token",
                        content = @Content(schema = @Schema(implementation = DeviceToken.class))),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden"),
                @ApiResponse(responseCode = "404", ref = "NotFound"),
                @ApiResponse(responseCode = "409", ref = "Conflict")
            })
    public DeviceToken rotate(@Parameter(hidden = true) @Auth Caller caller, @PathParam("id") String id) {
        return devices.rotateToken(caller, id);
    }
}
