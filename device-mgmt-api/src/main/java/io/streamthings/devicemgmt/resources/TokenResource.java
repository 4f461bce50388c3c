package io.streamthings.devicemgmt.resources;

import io.dropwizard.auth.Auth;
import io.streamthings.devicemgmt.api.ErrorResponse;
import io.streamthings.devicemgmt.api.TokenResponse;
import io.streamthings.devicemgmt.auth.Authenticated;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.PublicEndpoint;
import io.streamthings.devicemgmt.auth.TokenService;
import io.streamthings.devicemgmt.errors.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The OAuth2 token endpoint and token revocation. */
@Path("/api/v1/oauth2")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth", description = "Access tokens")
public class TokenResource {

    private final TokenService tokens;

    public TokenResource(TokenService tokens) {
        this.tokens = tokens;
    }

    /** Issues an access token for a user (password grant) or an application (client_credentials grant). */
    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @PublicEndpoint
    @Operation(summary = "Get an access token", description = "No token needed. grant_type=password with username "
            + "and password, or grant_type=client_credentials with client_id and client_secret; optional scope "
            + "(space-separated) narrows the token to those scopes.",
            responses = {
                @ApiResponse(responseCode = "200", description = "the token",
                        content = @Content(schema = @Schema(implementation = TokenResponse.class))),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", description = "wrong credentials",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class))),
                @ApiResponse(responseCode = "429", description = "too many attempts from this address or for this "
                        + "user, or the user is locked out after repeated failures; see Retry-After",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class))),
                @ApiResponse(responseCode = "503", description = "too many password checks at once; see Retry-After",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
            })
    public Response token(
            @Context HttpServletRequest request,
            @FormParam("grant_type") String grantType,
            @FormParam("username") String username,
            @FormParam("password") String password,
            @FormParam("client_id") String clientId,
            @FormParam("client_secret") String clientSecret,
            @FormParam("scope") String scope) {
        TokenResponse token = switch (grantType == null ? "" : grantType) {
            case "password" -> tokens.issueForUser(request.getRemoteAddr(), required("username", username),
                    required("password", password), scope);
            case "client_credentials" -> tokens.issueForClient(request.getRemoteAddr(), required("client_id", clientId),
                    required("client_secret", clientSecret), scope);
            case "" -> throw ApiException.badRequest("grant_type is required: password or client_credentials");
            default -> throw ApiException.badRequest("unsupported_grant_type: use password or client_credentials");
        };
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(token).cacheControl(noStore).header("Pragma", "no-cache").build();
    }

    /** Revokes an access token (RFC 7009): the caller's own, or any of its tenant with scope user:manage. */
    @POST
    @Path("/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Authenticated
    @Operation(summary = "Revoke an access token", description = "Any valid token; revoking another subject's "
            + "token needs scope user:manage. An unknown token is not an error.",
            security = @SecurityRequirement(name = "bearer"),
            responses = {
                @ApiResponse(responseCode = "200", description = "revoked (or unknown)"),
                @ApiResponse(responseCode = "400", ref = "BadRequest"),
                @ApiResponse(responseCode = "401", ref = "Unauthorized"),
                @ApiResponse(responseCode = "403", ref = "Forbidden")
            })
    public Response revoke(@Parameter(hidden = true) @Auth Caller caller, @FormParam("token") String token) {
        tokens.revoke(caller, required("token", token));
        return Response.ok().build();
    }

    private static String required(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest(name + " is required");
        }
        if (value.length() > 200) {
            throw ApiException.badRequest(name + ": at most 200 characters");
        }
        return value;
    }
}
