package io.streamthings.devicemgmt;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.lifecycle.Managed;
import io.streamthings.common.kafka.Topics;
import io.streamthings.dashboards.DashboardResource;
import io.streamthings.devicemgmt.analytics.AnalyticsService;
import io.streamthings.devicemgmt.analytics.InfluxQueryClient;
import io.streamthings.devicemgmt.analytics.InfluxUnavailableExceptionMapper;
import io.streamthings.devicemgmt.analytics.StreamHub;
import io.streamthings.devicemgmt.auth.BearerAuthenticator;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.auth.FirstAdmin;
import io.streamthings.devicemgmt.auth.JsonUnauthorizedHandler;
import io.streamthings.devicemgmt.auth.LoginThrottle;
import io.streamthings.devicemgmt.auth.PasswordCheckGate;
import io.streamthings.devicemgmt.config.AuthConfig;
import io.streamthings.devicemgmt.auth.PasswordHasher;
import io.streamthings.devicemgmt.auth.ScopeFeature;
import io.streamthings.devicemgmt.auth.TokenService;
import io.streamthings.devicemgmt.core.ActivityLog;
import io.streamthings.devicemgmt.core.ActivityService;
import io.streamthings.devicemgmt.core.BulkEnrollmentService;
import io.streamthings.devicemgmt.core.ClientService;
import io.streamthings.devicemgmt.core.DeviceOutbox;
import io.streamthings.devicemgmt.core.DeviceService;
import io.streamthings.devicemgmt.core.DeviceTypeService;
import io.streamthings.devicemgmt.core.GroupService;
import io.streamthings.devicemgmt.core.Properties;
import io.streamthings.devicemgmt.core.RoleService;
import io.streamthings.devicemgmt.core.UserService;
import io.streamthings.devicemgmt.db.Daos;
import io.streamthings.devicemgmt.errors.ApiExceptionMapper;
import io.streamthings.devicemgmt.errors.ConstraintViolationExceptionMapper;
import io.streamthings.devicemgmt.errors.DatabaseExceptionMapper;
import io.streamthings.devicemgmt.errors.JsonProcessingExceptionMapper;
import io.streamthings.devicemgmt.errors.UnexpectedExceptionMapper;
import io.streamthings.devicemgmt.errors.WebApplicationExceptionMapper;
import io.streamthings.devicemgmt.health.InfluxHealthCheck;
import io.streamthings.devicemgmt.health.KafkaHealthCheck;
import io.streamthings.devicemgmt.health.MqttHealthCheck;
import io.streamthings.devicemgmt.health.PostgresHealthCheck;
import io.streamthings.devicemgmt.kafka.DeviceActivityConsumer;
import io.streamthings.devicemgmt.kafka.OutboxPublisher;
import io.streamthings.devicemgmt.operations.DeviceOnlineConsumer;
import io.streamthings.devicemgmt.edgerules.EdgeRuleResource;
import io.streamthings.devicemgmt.edgerules.EdgeRuleService;
import io.streamthings.devicemgmt.edgerules.EdgeStatusReader;
import io.streamthings.devicemgmt.operations.DeviceOperationsResource;
import io.streamthings.devicemgmt.operations.DeviceSideResource;
import io.streamthings.devicemgmt.operations.GroupOperationsResource;
import io.streamthings.devicemgmt.operations.OperationResource;
import io.streamthings.devicemgmt.operations.OperationService;
import io.streamthings.devicemgmt.operations.OperationStatusConsumer;
import io.streamthings.devicemgmt.operations.OperationSweeper;
import io.streamthings.devicemgmt.policies.DeviceIdentity;
import io.streamthings.devicemgmt.policies.DevicePolicyResource;
import io.streamthings.devicemgmt.policies.EffectivePolicyResource;
import io.streamthings.devicemgmt.policies.OperationsPolicyPusher;
import io.streamthings.devicemgmt.policies.PolicyOperationListener;
import io.streamthings.devicemgmt.policies.PolicyResource;
import io.streamthings.devicemgmt.policies.PolicyService;
import io.streamthings.devicemgmt.resources.ActivityResource;
import io.streamthings.devicemgmt.resources.AnalyticsResource;
import io.streamthings.devicemgmt.resources.BodyLimitFeature;
import io.streamthings.devicemgmt.resources.StreamResource;
import io.streamthings.devicemgmt.resources.ClientResource;
import io.streamthings.devicemgmt.resources.DeviceResource;
import io.streamthings.devicemgmt.resources.DeviceTypeResource;
import io.streamthings.devicemgmt.resources.GroupResource;
import io.streamthings.devicemgmt.resources.OpenApiResource;
import io.streamthings.devicemgmt.resources.PredictionResource;
import io.streamthings.devicemgmt.resources.RoleResource;
import io.streamthings.devicemgmt.resources.SwaggerUiResource;
import io.streamthings.devicemgmt.resources.TokenResource;
import io.streamthings.devicemgmt.resources.UserResource;
import io.streamthings.devicemgmt.core.AlertService;
import io.streamthings.devicemgmt.core.RuleService;
import io.streamthings.devicemgmt.errors.RuleRejectedExceptionMapper;
import io.streamthings.devicemgmt.kafka.AlertConsumer;
import io.streamthings.devicemgmt.kafka.RuleStatusReader;
import io.streamthings.devicemgmt.resources.AlertResource;
import io.streamthings.devicemgmt.resources.RuleResource;
import io.streamthings.rules.compile.RuleCompiler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.NoTemplateEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device management service: device types, devices and their credentials, groups, users, roles, the token endpoint,
 * rule apps, alerts, the audit log and the API documentation. Public and non-final so the standalone launcher can run or extend it.
 */
public class DeviceMgmtApplication extends Application<DeviceMgmtConfiguration> {

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
    /** Live-stream events a client may have unread before it is dropped (GET /stream). */
    private static final int STREAM_QUEUE_CAPACITY = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceMgmtApplication.class);
    /**
     * Resources open to anyone as a whole: the dashboards' static files (a page cannot send a token to load itself;
     * every API call it makes does). Every other resource method must declare its access rule or answers 403.
     */
    public static final Set<Class<?>> PUBLIC_RESOURCES = Set.of(DashboardResource.class);

    /**
     * Resources added to this service's Jersey by an embedding application that check their callers and bound their
     * input themselves (ingest's device-token endpoints in the standalone mode): no bearer-token rule and no body
     * bound of this service applies to them. None here.
     */
    protected Set<Class<?>> selfCheckingResources() {
        return Set.of();
    }

    private volatile OutboxPublisher outboxPublisher;
    private volatile OperationService operationService;

    public DeviceMgmtApplication() {}

    public static void main(String[] args) throws Exception {
        new DeviceMgmtApplication().run(args);
    }

    @Override
    public String getName() {
        return "device-mgmt";
    }

    @Override
    public void initialize(Bootstrap<DeviceMgmtConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(DeviceMgmtConfiguration config, Environment environment) throws Exception {
        if (config.getServerFactory() instanceof AbstractServerFactory server) {
            // Our mappers answer every error in API.md's JSON; Dropwizard's defaults would compete with them.
            server.setRegisterDefaultExceptionMappers(false);
        }
        ObjectMapper json = environment.getObjectMapper();
        json.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // Times as ISO-8601 text, which API.md's clients parse; Dropwizard's default is decimal epoch seconds.
        json.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        Clock clock = Clock.systemUTC();

        ManagedDataSource dataSource = config.getDatabase().build(environment.metrics(), "postgres");
        migrate(dataSource);
        Jdbi jdbi = new JdbiFactory().build(environment, config.getDatabase(), dataSource, "postgres");
        // JdbiFactory registers its own "postgres" check; ours (health/) replaces it with a bounded SELECT 1.
        environment.healthChecks().unregister("postgres");
        // No SQL here uses templates; skipping the template engine saves lexing every statement on every call.
        jdbi.setTemplateEngine(new NoTemplateEngine());
        Daos.warm(jdbi);

        Admin kafkaAdmin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.getKafka().getBootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                kafkaAdmin.close(Duration.ofSeconds(5));
            }
        });
        registerHealthChecks(config, environment, jdbi, kafkaAdmin);

        PasswordHasher hasher = new PasswordHasher();
        new FirstAdmin(jdbi, hasher, Path.of(config.getAuth().getAdminPasswordFile()), System.out,
                System.console() != null)
                .ensure(Optional.ofNullable(System.getenv(FirstAdmin.PASSWORD_ENV)));
        AuthConfig auth = config.getAuth();
        LoginThrottle throttle = new LoginThrottle(auth.getLoginAttemptsPerAddressPerMinute(),
                auth.getLoginAttemptsPerUsernamePerMinute(), auth.getLockoutFailures(),
                Duration.ofSeconds(auth.getLockoutSeconds()), clock);
        PasswordCheckGate gate = new PasswordCheckGate(auth.getPasswordCheckConcurrency() > 0
                ? auth.getPasswordCheckConcurrency() : PasswordCheckGate.defaultConcurrency(),
                auth.getPasswordCheckWaitMs());
        TokenService tokens = new TokenService(jdbi, hasher, clock, Duration.ofSeconds(auth.getTokenTtlSeconds()),
                Duration.ofMillis(auth.getTokenCacheMs()), throttle, gate);

        environment.lifecycle().scheduledExecutorService("expired-token-cleanup").threads(1).build()
                .scheduleWithFixedDelay(() -> deleteExpiredTokens(tokens), 1, 60, TimeUnit.MINUTES);

        OutboxPublisher publisher = new OutboxPublisher(jdbi, kafkaAdmin,
                List.of(Topics.DEVICE_CREDENTIALS, Topics.DEVICE_EVENTS, Topics.RULES, Topics.RULE_STATUS, Topics.ALERTS,
                        Topics.ALERTS_DLQ, Topics.OPERATIONS, Topics.OPERATION_STATUS, Topics.EDGE_STATUS),
                config.getKafka().getBootstrapServers(),
                config.getKafka().getMaxBlockMs());
        environment.lifecycle().manage(publisher);
        this.outboxPublisher = publisher;
        if (config.getKafka().isConsumeDeviceActivity()) {
            environment.lifecycle().manage(
                    new DeviceActivityConsumer(jdbi, config.getKafka().getBootstrapServers()));
        }

        RuleStatusReader ruleStatus = new RuleStatusReader(config.getKafka().getBootstrapServers());
        environment.lifecycle().manage(ruleStatus);
        ActivityLog activityLog = new ActivityLog(json);
        AlertService alerts = new AlertService(jdbi, json, activityLog, clock);
        if (config.getKafka().isConsumeAlerts()) {
            environment.lifecycle().manage(new AlertConsumer(alerts, config.getKafka().getBootstrapServers(),
                    config.getInflux().getUrl(), config.getInflux().getDatabase(), clock));
        }

        OperationService operations = new OperationService(jdbi, clock, config.getOperations(), publisher::wakeUp);
        this.operationService = operations;
        environment.lifecycle().manage(new OperationSweeper(operations, config.getOperations().getSweepIntervalMs()));
        if (config.getOperations().isConsume()) {
            environment.lifecycle().manage(
                    new OperationStatusConsumer(operations, config.getKafka().getBootstrapServers()));
            environment.lifecycle().manage(
                    new DeviceOnlineConsumer(operations, config.getKafka().getBootstrapServers()));
        }

        EdgeStatusReader edgeStatus = new EdgeStatusReader(config.getKafka().getBootstrapServers());
        if (config.getEdgeRules().isConsumeStatus()) {
            environment.lifecycle().manage(edgeStatus);
        }
        EdgeRuleService edgeRules = new EdgeRuleService(jdbi, new RuleCompiler(), operations, edgeStatus, activityLog,
                clock, config.getEdgeRules().staleAfterMs());

        registerErrorMappers(environment);
        Set<Class<?>> open = new LinkedHashSet<>(PUBLIC_RESOURCES);
        open.addAll(selfCheckingResources());
        registerAuth(environment, tokens, open);
        environment.jersey().register(new BodyLimitFeature(config.getLimits().getMaxBodyBytes(),
                selfCheckingResources()));
        registerResources(config, environment, jdbi, dataSource, json, clock, hasher, tokens, publisher, activityLog,
                new RuleService(jdbi, new RuleCompiler(), ruleStatus, activityLog, publisher::wakeUp, clock,
                        Duration.ofMillis(config.getRules().getDryRunDeadlineMs())),
                alerts, operations, edgeRules);
    }

    /**
     * The operations service, once running: what policies and edge-rule deployments call to send operations without
     * HTTP ({@link OperationService#submit}, {@link OperationService#submitAsSystem}).
     */
    public OperationService operationService() {
        return operationService;
    }

    /** The outbox publisher, once running; tests and the launcher use it to see what is still unsent. */
    public OutboxPublisher outboxPublisher() {
        return outboxPublisher;
    }

    private static void deleteExpiredTokens(TokenService tokens) {
        try {
            tokens.deleteExpired();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; log and try next time.
            LOG.warn("Deleting expired access tokens failed: {}", e.toString());
        }
    }

    private static void migrate(ManagedDataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    private static void registerHealthChecks(DeviceMgmtConfiguration config, Environment environment, Jdbi jdbi,
            Admin kafkaAdmin) {
        environment.healthChecks().register("postgres", new PostgresHealthCheck(jdbi));
        environment.healthChecks().register("kafka", new KafkaHealthCheck(kafkaAdmin, HEALTH_TIMEOUT));
        environment.healthChecks().register("mqtt",
                new MqttHealthCheck(config.getMqtt().getHost(), config.getMqtt().getPort(), HEALTH_TIMEOUT));
        environment.healthChecks().register("influxdb",
                new InfluxHealthCheck(config.getInflux().getUrl(), HEALTH_TIMEOUT));
    }

    private static void registerErrorMappers(Environment environment) {
        environment.jersey().register(new ApiExceptionMapper());
        environment.jersey().register(new RuleRejectedExceptionMapper());
        environment.jersey().register(new WebApplicationExceptionMapper());
        environment.jersey().register(new JsonProcessingExceptionMapper());
        environment.jersey().register(new ConstraintViolationExceptionMapper());
        environment.jersey().register(new DatabaseExceptionMapper());
        environment.jersey().register(new UnexpectedExceptionMapper());
    }

    private static void registerAuth(Environment environment, TokenService tokens, Set<Class<?>> open) {
        OAuthCredentialAuthFilter<Caller> filter = new OAuthCredentialAuthFilter.Builder<Caller>()
                .setAuthenticator(new BearerAuthenticator(tokens))
                .setPrefix("Bearer")
                .setRealm("streamthings")
                .setUnauthorizedHandler(new JsonUnauthorizedHandler())
                .buildAuthFilter();
        environment.jersey().register(new ScopeFeature(filter, open));
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(Caller.class));
    }

    private void registerResources(DeviceMgmtConfiguration config, Environment environment, Jdbi jdbi,
            ManagedDataSource dataSource, ObjectMapper json, Clock clock,
            PasswordHasher hasher, TokenService tokens, OutboxPublisher publisher, ActivityLog activityLog,
            RuleService rules, AlertService alerts, OperationService operations, EdgeRuleService edgeRules) {
        Properties properties = new Properties(json);
        DeviceOutbox outbox = new DeviceOutbox(clock, publisher::wakeUp);
        DeviceTypeService types = new DeviceTypeService(jdbi, properties, activityLog);
        PolicyService policies = new PolicyService(jdbi, json, activityLog, new OperationsPolicyPusher(operations, json),
                publisher::wakeUp, clock);
        operations.addListener(new PolicyOperationListener(policies));
        DeviceService devices = new DeviceService(jdbi, dataSource, types, properties, activityLog, outbox, policies);
        BulkEnrollmentService bulk = new BulkEnrollmentService(jdbi, types, properties, activityLog, outbox,
                environment.getValidator(), policies);
        AnalyticsService analytics = new AnalyticsService(jdbi,
                new InfluxQueryClient(config.getInflux().getUrl(), config.getInflux().getDatabase(), json), clock);
        StreamHub streamHub = new StreamHub(config.getKafka().getBootstrapServers(), STREAM_QUEUE_CAPACITY,
                config.getStream().getMaxStreamsPerCaller(), Duration.ofMillis(config.getStream().getRecheckMs()));
        environment.lifecycle().manage(streamHub);
        environment.metrics().registerGauge("streamthings.stream.clients", streamHub::subscriberCount);
        environment.jersey().register(new InfluxUnavailableExceptionMapper());

        List<Object> resources = List.of(
                new TokenResource(tokens),
                new DeviceTypeResource(types),
                new DeviceResource(devices, bulk, json),
                new GroupResource(new GroupService(jdbi, activityLog, policies)),
                new PolicyResource(policies),
                new EffectivePolicyResource(policies),
                new DevicePolicyResource(policies, new DeviceIdentity(jdbi)),
                new UserResource(new UserService(jdbi, hasher, tokens, activityLog)),
                new RoleResource(new RoleService(jdbi, activityLog, tokens)),
                new ClientResource(new ClientService(jdbi, hasher, tokens, activityLog)),
                new ActivityResource(new ActivityService(jdbi, json, clock)),
                new RuleResource(rules),
                new EdgeRuleResource(edgeRules),
                new AlertResource(alerts),
                new AnalyticsResource(analytics, streamHub.ingestRate()),
                new PredictionResource(analytics),
                new StreamResource(streamHub, analytics, tokens),
                new OperationResource(operations),
                new DeviceOperationsResource(operations),
                new GroupOperationsResource(operations),
                new DeviceSideResource(operations, jdbi));
        Set<Class<?>> documented = new LinkedHashSet<>();
        for (Object resource : resources) {
            environment.jersey().register(resource);
            documented.add(resource.getClass());
        }
        environment.jersey().register(OpenApiResource.of(documented));
        environment.jersey().register(new SwaggerUiResource());
        environment.jersey().register(new DashboardResource());
    }
}
