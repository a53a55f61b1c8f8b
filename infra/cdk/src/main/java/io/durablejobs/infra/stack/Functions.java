package io.durablejobs.infra.stack;

import io.durablejobs.infra.model.DeploymentInputs;
import io.durablejobs.infra.model.FunctionAccess;
import io.durablejobs.infra.model.FunctionSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Every function of functions/functions.json (and platform.json's deployFunctions), sized from there, each
 * with its own role. What a function reads and writes, and so its settings and permissions, is
 * {@link FunctionAccess} (the same rules as terraform/functions.tf):
 * <ul>
 *   <li>blobs (JOBS_BLOB_STORE=s3): GetObject on the bucket's blobs/ prefix to read, plus PutObject to write;
 *       ListBucket limited to that prefix, so a missing blob is a 404 and not a 403</li>
 *   <li>dead letters (JOBS_DEAD_LETTER_STORE=s3): Get/Put/DeleteObject on dead-letters/ and ListBucket on that
 *       prefix (the S3 dead-letter store lists its index, writes records and index keys, removes them)</li>
 *   <li>metrics push (DLQ consumer): PutMetricData in the platform's metric namespace only</li>
 *   <li>each *_SECRET_ARN it is given, with GetSecretValue on exactly that secret</li>
 * </ul>
 * Queue functions also get what the event-source mapping needs (mq:DescribeBroker on this broker, Describe*
 * of the VPC). The deploy step gets the broker settings only.
 *
 * <p>Every function logs in Lambda's JSON format (system and application records as JSON objects; the
 * platform's EMF lines are JSON objects already, written to stdout as they are). {@code concurrency} in
 * functions.json becomes reserved concurrency ({@link FunctionSpec#reservedConcurrency()}), none when null.
 * A function with {@code snapStart} restores from a snapshot of a published version, so it gets a
 * {@link FunctionSpec#LIVE_ALIAS} alias on its current version, and everything that invokes it (the API
 * integration, a mapping, a schedule) invokes the alias: {@link #invokeTarget(String)}.
 */
public final class Functions extends Construct {
    private final Map<String, Function> functions = new LinkedHashMap<>();
    private final Map<String, FunctionRole> roles = new LinkedHashMap<>();
    private final Map<String, Alias> aliases = new LinkedHashMap<>();

    public record Shared(DeploymentInputs in, Network net, Broker broker, Cache cache, Storage storage, AppSecrets secrets) {
    }

    public Functions(Construct scope, String id, Shared s) {
        super(scope, id);
        for (FunctionSpec f : s.in().functions()) {
            add(s, f);
        }
        for (FunctionSpec f : s.in().deployFunctions()) {
            add(s, f);
        }
    }

    private void add(Shared s, FunctionSpec f) {
        DeploymentInputs in = s.in();
        FunctionAccess access = FunctionAccess.of(f, in.platform(), in.functions());
        FunctionRole role = new FunctionRole(this, f.name() + "-iam", "Lambda " + in.prefix() + "-" + f.name());
        Map<String, String> env = environment(s, f, access);
        for (FunctionAccess.Secret secret : access.secrets()) {
            env.put(secret.setting(), secretArn(s, secret));
            role.allow(List.of("secretsmanager:GetSecretValue"), List.of(secretArn(s, secret)));
        }
        Storage st = s.storage();
        if (access.blobs() != FunctionAccess.Blobs.NONE) {
            role.allow(access.blobs() == FunctionAccess.Blobs.READWRITE ? List.of("s3:GetObject", "s3:PutObject") : List.of("s3:GetObject"),
                    List.of(st.objectsArn(st.blobPrefix())));
            role.allowList(st.bucket().getBucketArn(), st.blobPrefix());
        }
        if (access.deadLetters()) {
            role.allow(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), List.of(st.objectsArn(st.deadLetterPrefix())));
            role.allowList(st.bucket().getBucketArn(), st.deadLetterPrefix());
        }
        if (access.pushMetrics()) {
            role.allowMetrics(in.metricsNamespace());
        }
        if (f.trigger().isQueue()) {
            role.allow(List.of("mq:DescribeBroker"), List.of(s.broker().arn()));
            role.allow(List.of("ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"), List.of("*"));
        }
        String name = in.prefix() + "-" + f.name();
        LogGroup logs = LogGroup.Builder.create(this, f.name() + "-logs")
                .logGroupName("/aws/lambda/" + name)
                .retention(retention(in.stageSettings().path("logRetentionDays").asInt(14)))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        role.allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(logs.getLogGroupArn()));
        Function.Builder b = Function.Builder.create(this, f.name())
                .functionName(name)
                .description(f.module() + " (" + f.trigger().kind() + ")")
                .runtime(runtime(f.runtime()))
                .architecture("arm64".equals(in.platform().path("lambdaArchitecture").asText()) ? Architecture.ARM_64 : Architecture.X86_64)
                .handler(f.handler())
                .code(ArtifactCode.of(this, in, f))
                .memorySize(f.memoryMb())
                .timeout(Duration.seconds(f.timeoutSeconds()))
                .role(role.role())
                .logGroup(logs)
                .vpc(s.net().vpc())
                .vpcSubnets(s.net().privateSubnets())
                .securityGroups(List.of(s.net().functionsSg()))
                .environment(env)
                .loggingFormat(LoggingFormat.JSON);
        if (f.reservedConcurrency() != null) {
            b.reservedConcurrentExecutions(f.reservedConcurrency());
        }
        if (f.snapStart()) {
            b.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
        }
        Function fn = b.build();
        fn.getNode().addDependency(role.policy());
        if (f.snapStart()) {
            // currentVersion publishes a new version whenever the code or configuration changes; the alias
            // follows it, so callers of the alias always reach the latest snapshot.
            aliases.put(f.name(), Alias.Builder.create(this, f.name() + "-" + FunctionSpec.LIVE_ALIAS)
                    .aliasName(FunctionSpec.LIVE_ALIAS).version(fn.getCurrentVersion()).build());
        }
        functions.put(f.name(), fn);
        roles.put(f.name(), role);
    }

    private static String secretArn(Shared s, FunctionAccess.Secret secret) {
        return switch (secret) {
            case BROKER -> s.broker().secret().getSecretArn();
            case CACHE -> s.cache().secret().getSecretArn();
            case API_KEYS -> s.secrets().apiKeys().getSecretArn();
            case WEBHOOK_SIGNING -> s.secrets().webhookSigning().getSecretArn();
        };
    }

    /** The settings of infra/README.md "Runtime contract", without the *_SECRET_ARN ones (added with their grants). */
    private static Map<String, String> environment(Shared s, FunctionSpec f, FunctionAccess access) {
        DeploymentInputs in = s.in();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JOBS_NAMESPACE", in.namespace());
        env.put("JOBS_RABBITMQ_URI", s.broker().amqpsUri());
        // Short-lived JVMs start faster with C1 only.
        env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        // Which job types are sharded, and into how many queues: the publisher spreads a type's jobs over
        // them. The same value on every function (one rule, one view of the shards everywhere); absent, not
        // empty, when nothing is sharded (the runtime reads both as "no sharding").
        String shards = in.queuePlan().jobsShards();
        if (!shards.isEmpty()) {
            env.put("JOBS_SHARDS", shards);
        }
        if (FunctionAccess.brokerOnly(f)) {
            return env;
        }
        env.put("JOBS_QUEUE_TYPE", in.topology().queueType());
        env.put("JOBS_DELIVERY_LIMIT", Integer.toString(in.topology().deliveryLimit()));
        env.put("JOBS_RETRY_TIERS", in.topology().retryTiers());
        env.put("JOBS_REDIS_URI", s.cache().redissUri());
        env.put("JOBS_REDIS_CLUSTER", "true");
        // Explicit, since the runtime's defaults depend on which other settings are present: EMF lines on
        // stdout everywhere (CloudWatch Logs makes them metrics); PutMetricData only where it is granted.
        env.put("JOBS_METRICS_NAMESPACE", in.metricsNamespace());
        env.put("JOBS_METRICS_EMF", "stdout");
        env.put("JOBS_METRICS_PUSH", access.pushMetrics() ? "cloudwatch" : "off");
        if (access.pushMetrics() && !in.queuePlan().workedTypes().isEmpty()) {
            // The types whose queue depth it pushes every minute: every deployed worker's, whatever its jar holds.
            env.put("JOBS_QUEUE_DEPTH_TYPES", String.join(",", in.queuePlan().workedTypes()));
        }
        Storage st = s.storage();
        if (access.blobs() != FunctionAccess.Blobs.NONE) {
            env.put("JOBS_BLOB_STORE", "s3");
            env.put("JOBS_BLOB_BUCKET", st.bucket().getBucketName());
            env.put("JOBS_BLOB_PREFIX", st.blobPrefix());
        }
        if (access.deadLetters()) {
            env.put("JOBS_DEAD_LETTER_STORE", "s3");
            env.put("JOBS_DEAD_LETTER_BUCKET", st.bucket().getBucketName());
            env.put("JOBS_DEAD_LETTER_PREFIX", st.deadLetterPrefix());
        }
        return env;
    }

    private static Runtime runtime(String name) {
        return switch (name) {
            // The build targets Java 21; java17 runs on Amazon Linux 2, whose support ends.
            case "java21" -> Runtime.JAVA_21;
            default -> throw new IllegalArgumentException("unsupported runtime " + name + " (the functions are built for java21)");
        };
    }

    private static RetentionDays retention(int days) {
        return switch (days) {
            case 1 -> RetentionDays.ONE_DAY;
            case 3 -> RetentionDays.THREE_DAYS;
            case 7 -> RetentionDays.ONE_WEEK;
            case 14 -> RetentionDays.TWO_WEEKS;
            case 30 -> RetentionDays.ONE_MONTH;
            case 90 -> RetentionDays.THREE_MONTHS;
            case 180 -> RetentionDays.SIX_MONTHS;
            case 365 -> RetentionDays.ONE_YEAR;
            default -> throw new IllegalArgumentException("logRetentionDays must be 1, 3, 7, 14, 30, 90, 180 or 365");
        };
    }

    public Function get(String name) {
        return functions.get(name);
    }

    /** What invokes the function: its live alias when it has SnapStart (only versions restore from a snapshot), else the function. */
    public IFunction invokeTarget(String name) {
        return aliases.containsKey(name) ? aliases.get(name) : functions.get(name);
    }

    public FunctionRole roleOf(String name) {
        return roles.get(name);
    }

    public Map<String, Function> all() {
        return functions;
    }
}
