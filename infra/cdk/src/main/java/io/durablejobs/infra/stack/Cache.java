package io.durablejobs.infra.stack;

import io.durablejobs.infra.model.DeploymentInputs;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.elasticache.CfnServerlessCache;
import software.amazon.awscdk.services.elasticache.CfnUser;
import software.amazon.awscdk.services.elasticache.CfnUserGroup;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * ElastiCache Serverless for Valkey: TLS and cluster mode are always on. Authentication is RBAC with a
 * password user whose credentials are generated in Secrets Manager ({"username","password"}, read through
 * JOBS_REDIS_SECRET_ARN); the default user is switched off. Reachable only from the functions' group.
 */
public final class Cache extends Construct {
    public static final String APP_USER = "jobs-app";
    private final CfnServerlessCache cache;
    private final Secret secret;

    public Cache(Construct scope, String id, DeploymentInputs in, Network net) {
        super(scope, id);
        this.secret = Secret.Builder.create(this, "AppUserSecret")
                .description("ElastiCache RBAC user for the job platform (" + in.prefix() + ")")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"username\":\"" + APP_USER + "\"}")
                        .generateStringKey("password")
                        .passwordLength(32)
                        .excludePunctuation(true)
                        .build())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        CfnUser disabledDefault = CfnUser.Builder.create(this, "DefaultUser")
                .engine("valkey").userId(in.prefix() + "-default").userName("default")
                .accessString("off -@all").noPasswordRequired(true).build();
        CfnUser app = CfnUser.Builder.create(this, "AppUser")
                .engine("valkey").userId(in.prefix() + "-app").userName(APP_USER)
                // Every key the platform writes starts with "<namespace>:"; other namespaces are not reachable.
                .accessString("on ~" + in.namespace() + ":* &* +@all")
                // AuthenticationMode is untyped JSON in the L1: a typed builder would emit lower-case keys.
                .authenticationMode(Map.of("Type", "password",
                        "Passwords", List.of(secret.secretValueFromJson("password").unsafeUnwrap())))
                .build();
        CfnUserGroup group = CfnUserGroup.Builder.create(this, "Users")
                .engine("valkey").userGroupId(in.prefix() + "-users")
                .userIds(List.of(disabledDefault.getUserId(), app.getUserId())).build();
        group.addResourceDependency(disabledDefault);
        group.addResourceDependency(app);
        this.cache = CfnServerlessCache.Builder.create(this, "Cache")
                .serverlessCacheName(in.prefix())
                .engine("valkey")
                .majorEngineVersion("8")
                .securityGroupIds(List.of(net.cacheSg().getSecurityGroupId()))
                .subnetIds(net.privateSubnetIds())
                .userGroupId(group.getUserGroupId())
                .cacheUsageLimits(CfnServerlessCache.CacheUsageLimitsProperty.builder()
                        .dataStorage(CfnServerlessCache.DataStorageProperty.builder()
                                .maximum(in.stageSettings().path("cacheMaxStorageGb").asInt(1)).unit("GB").build())
                        .ecpuPerSecond(CfnServerlessCache.ECPUPerSecondProperty.builder()
                                .maximum(in.stageSettings().path("cacheMaxEcpuPerSecond").asInt(5000)).build())
                        .build())
                .build();
        cache.addResourceDependency(group);
    }

    public Secret secret() {
        return secret;
    }

    /** rediss://host:port with no credentials in it: they come from the secret at init. */
    public String redissUri() {
        return "rediss://" + cache.getAttrEndpointAddress() + ":" + cache.getAttrEndpointPort();
    }
}
