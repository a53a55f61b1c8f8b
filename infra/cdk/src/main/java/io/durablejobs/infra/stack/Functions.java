package io.durablejobs.infra.stack;

import io.durablejobs.infra.model.DeploymentInputs;
import io.durablejobs.infra.model.FunctionSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Every function of functions/functions.json (and platform.json's deployFunctions), sized from there, each
 * with its own role. What a function may touch follows from its trigger:
 * <ul>
 *   <li>http: API keys secret; read blobs; read, list and delete dead-letter records (DLQ routes)</li>
 *   <li>queue, jobType: read and write blobs; the webhook signing key for webhook.* types</li>
 *   <li>queue, role dead: write dead-letter records; PutMetricData in the platform's metric namespace</li>
 *   <li>deploy: the broker secret only</li>
 * </ul>
 * Every function gets the broker and cache secrets; queue functions also what the event-source mapping
 * needs (mq:DescribeBroker on this broker, Describe* of the VPC).
 */
public final class Functions extends Construct {
    private final Map<String, Function> functions = new LinkedHashMap<>();
    private final Map<String, FunctionRole> roles = new LinkedHashMap<>();

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
        FunctionRole role = new FunctionRole(this, f.name() + "-iam", "Lambda " + in.prefix() + "-" + f.name());
        Map<String, String> env = baseEnvironment(s);
        role.allow(List.of("secretsmanager:GetSecretValue"), List.of(s.broker().secret().getSecretArn()));
        if (!"deploy".equals(f.trigger().kind())) {
            role.allow(List.of("secretsmanager:GetSecretValue"), List.of(s.cache().secret().getSecretArn()));
        }
        String bucketArn = s.storage().bucket().getBucketArn();
        if (f.trigger().isHttp()) {
            env.put("JOBS_API_KEYS_SECRET_ARN", s.secrets().apiKeys().getSecretArn());
            role.allow(List.of("secretsmanager:GetSecretValue"), List.of(s.secrets().apiKeys().getSecretArn()));
            role.allow(List.of("s3:GetObject"), List.of(s.storage().objectsArn(s.storage().blobPrefix())));
            role.allow(List.of("s3:GetObject", "s3:DeleteObject"),
                    List.of(s.storage().objectsArn(s.storage().deadLetterPrefix())));
            role.allow(List.of("s3:ListBucket"), List.of(bucketArn));
        } else if (f.trigger().isQueue()) {
            role.allow(List.of("mq:DescribeBroker"), List.of(s.broker().arn()));
            role.allow(List.of("ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"), List.of("*"));
            if (f.trigger().jobType() != null) {
                role.allow(List.of("s3:GetObject", "s3:PutObject"), List.of(s.storage().objectsArn(s.storage().blobPrefix())));
                if (f.trigger().jobType().startsWith("webhook.")) {
                    env.put("JOBS_WEBHOOK_SIGNING_SECRET_ARN", s.secrets().webhookSigning().getSecretArn());
                    role.allow(List.of("secretsmanager:GetSecretValue"), List.of(s.secrets().webhookSigning().getSecretArn()));
                }
            } else {
                role.allow(List.of("s3:PutObject"), List.of(s.storage().objectsArn(s.storage().deadLetterPrefix())));
                role.allowMetrics(in.metricsNamespace());
            }
        }
        String name = in.prefix() + "-" + f.name();
        LogGroup logs = LogGroup.Builder.create(this, f.name() + "-logs")
                .logGroupName("/aws/lambda/" + name)
                .retention(retention(in.stageSettings().path("logRetentionDays").asInt(14)))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        role.allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(logs.getLogGroupArn()));
        Function fn = Function.Builder.create(this, f.name())
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
                .build();
        fn.getNode().addDependency(role.policy());
        functions.put(f.name(), fn);
        roles.put(f.name(), role);
    }

    private static Map<String, String> baseEnvironment(Shared s) {
        DeploymentInputs in = s.in();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JOBS_NAMESPACE", in.namespace());
        env.put("JOBS_QUEUE_TYPE", in.topology().queueType());
        env.put("JOBS_DELIVERY_LIMIT", Integer.toString(in.topology().deliveryLimit()));
        env.put("JOBS_RETRY_TIERS", in.topology().retryTiers());
        env.put("JOBS_RABBITMQ_URI", s.broker().amqpsUri());
        env.put("JOBS_RABBITMQ_SECRET_ARN", s.broker().secret().getSecretArn());
        env.put("JOBS_REDIS_URI", s.cache().redissUri());
        env.put("JOBS_REDIS_CLUSTER", "true");
        env.put("JOBS_REDIS_SECRET_ARN", s.cache().secret().getSecretArn());
        env.put("JOBS_BLOB_BUCKET", s.storage().bucket().getBucketName());
        env.put("JOBS_BLOB_PREFIX", s.storage().blobPrefix());
        env.put("JOBS_DEAD_LETTER_BUCKET", s.storage().bucket().getBucketName());
        env.put("JOBS_DEAD_LETTER_PREFIX", s.storage().deadLetterPrefix());
        env.put("JOBS_METRICS_NAMESPACE", in.metricsNamespace());
        // Short-lived JVMs start faster with C1 only.
        env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        return env;
    }

    private static Runtime runtime(String name) {
        return switch (name) {
            case "java17" -> Runtime.JAVA_17;
            case "java21" -> Runtime.JAVA_21;
            default -> throw new IllegalArgumentException("unsupported runtime " + name);
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

    public FunctionRole roleOf(String name) {
        return roles.get(name);
    }

    public Map<String, Function> all() {
        return functions;
    }
}
