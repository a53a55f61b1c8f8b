package io.durablejobs.infra.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.infra.model.DeploymentInputs;
import io.durablejobs.infra.model.FunctionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Alarms to one SNS topic, and the dashboard. RabbitMQ 4 brokers publish no per-queue metrics, so the
 * platform alarms watch our own metrics (namespace platform.json metricsNamespace, dimension Namespace),
 * emitted by the functions (EMF) and the DLQ consumer (PutMetricData, every minute through
 * {@link DlqMetricsSchedule}). Missing data is not breaching (a quiet system emits no EMF), except where an
 * alarm says otherwise: dlq-metrics-missing fires when the DLQ consumer's per-minute push stops.
 */
public final class Monitoring extends Construct {
    private final Topic topic;
    private final List<Alarm> alarms = new ArrayList<>();

    public Monitoring(Construct scope, String id, DeploymentInputs in, Functions functions, HttpApi api, String alarmEmail) {
        super(scope, id);
        this.topic = Topic.Builder.create(this, "Alarms").topicName(in.prefix() + "-alarms")
                .displayName("Durable jobs alarms (" + in.prefix() + ")").enforceSsl(true).build();
        if (alarmEmail != null && !alarmEmail.isBlank()) {
            topic.addSubscription(new EmailSubscription(alarmEmail));
        }
        SnsAction action = new SnsAction(topic);
        for (JsonNode a : in.platform().path("alarms")) {
            Metric metric = platformMetric(in, a.path("metric").asText(), a.path("statistic").asText(), a.path("periodSeconds").asInt());
            alarms.add(alarm(in.prefix() + "-" + a.path("id").asText(), a, metric, action));
        }
        JsonNode fe = in.platform().path("functionErrorAlarm");
        for (FunctionSpec f : in.functions()) {
            Metric errors = functions.get(f.name()).metricErrors(MetricOptions.builder()
                    .statistic(fe.path("statistic").asText()).period(Duration.seconds(fe.path("periodSeconds").asInt())).build());
            alarms.add(alarm(in.prefix() + "-" + f.name() + "-errors", fe, errors, action));
        }
        JsonNode th = in.platform().path("mappingThrottleAlarm");
        for (FunctionSpec f : in.functions()) {
            if (f.trigger().isQueue()) {
                Metric throttles = functions.get(f.name()).metricThrottles(MetricOptions.builder()
                        .statistic(th.path("statistic").asText()).period(Duration.seconds(th.path("periodSeconds").asInt())).build());
                alarms.add(alarm(in.prefix() + "-" + f.name() + "-throttles", th, throttles, action));
            }
        }
        for (String type : queueTypes(in)) {
            queueAlarms(in, type, action);
        }
        JsonNode ae = in.platform().path("apiErrorAlarm");
        alarms.add(alarm(in.prefix() + "-api-5xx", ae, Metric.Builder.create().namespace("AWS/ApiGateway")
                .metricName(ae.path("metric").asText()).dimensionsMap(Map.of("ApiId", api.getApiId()))
                .statistic(ae.path("statistic").asText()).period(Duration.seconds(ae.path("periodSeconds").asInt())).build(), action));
        brokerAlarms(in, action);
        dashboard(in, functions);
    }

    private static List<String> queueTypes(DeploymentInputs in) {
        return in.queuePlan().workedTypes();
    }

    /**
     * Backlog: the type's QueueDepth (DLQ consumer, every minute) over the threshold. Age: the longest wait
     * the workers saw (QueueAgeSeconds, EMF per batch) over the threshold; while jobs wait (depth > 0) a
     * minute in which the workers received nothing counts as over it too, so a mapping that stopped
     * consuming alarms instead of going quiet. With no depth data the expression is 0: the push stopping is
     * dlq-metrics-missing's alarm, not one per type. Terraform builds the same expression (monitoring.tf).
     */
    private void queueAlarms(DeploymentInputs in, String type, SnsAction action) {
        JsonNode q = in.platform().path("queueAlarms");
        JsonNode backlog = q.path("backlog");
        Metric depth = typeMetric(in, "QueueDepth", type, backlog.path("statistic").asText(), backlog.path("periodSeconds").asInt());
        alarms.add(alarm(in.prefix() + "-queue-" + type + "-backlog", Map.of(
                "description", backlog.path("description").asText(), "threshold", backlog.path("threshold").asDouble(),
                "evaluationPeriods", backlog.path("evaluationPeriods").asInt(), "comparison", "GreaterThanThreshold"), depth, action));
        JsonNode age = q.path("age");
        int period = age.path("periodSeconds").asInt();
        double threshold = age.path("thresholdSeconds").asDouble();
        MathExpression expr = MathExpression.Builder.create()
                .expression(ageExpression(threshold))
                .usingMetrics(Map.of(
                        "depth", typeMetric(in, "QueueDepth", type, "Maximum", period),
                        "age", typeMetric(in, "QueueAgeSeconds", type, "Maximum", period)))
                .period(Duration.seconds(period))
                .label(type + " queue age, stalled counts as over")
                .build();
        alarms.add(alarm(in.prefix() + "-queue-" + type + "-age", Map.of(
                "description", age.path("description").asText(), "threshold", threshold,
                "evaluationPeriods", age.path("evaluationPeriods").asInt(), "comparison", "GreaterThanThreshold"), expr, action));
    }

    /** Waiting jobs and no receipt in a period count as one second over the threshold. */
    public static String ageExpression(double thresholdSeconds) {
        return "IF(FILL(depth, 0) > 0, FILL(age, " + (long) (thresholdSeconds + 1) + "), 0)";
    }

    /** Amazon MQ's broker metrics (a cluster's are the sum of its nodes): memory used of the limit, free disk over its limit. */
    private void brokerAlarms(DeploymentInputs in, SnsAction action) {
        JsonNode b = in.platform().path("brokerAlarms");
        int period = b.path("periodSeconds").asInt();
        MathExpression memory = MathExpression.Builder.create().expression("100 * used / limit")
                .usingMetrics(Map.of("used", brokerMetric(in, "RabbitMQMemUsed", period), "limit", brokerMetric(in, "RabbitMQMemLimit", period)))
                .period(Duration.seconds(period)).label("broker memory used, % of limit").build();
        alarms.add(alarm(in.prefix() + "-broker-memory", Map.of("description", b.path("memoryDescription").asText(),
                "threshold", b.path("memoryUsedPercent").asDouble(), "evaluationPeriods", b.path("evaluationPeriods").asInt(),
                "comparison", "GreaterThanThreshold"), memory, action));
        MathExpression disk = MathExpression.Builder.create().expression("free / limit")
                .usingMetrics(Map.of("free", brokerMetric(in, "RabbitMQDiskFree", period), "limit", brokerMetric(in, "RabbitMQDiskFreeLimit", period)))
                .period(Duration.seconds(period)).label("broker free disk over its limit").build();
        alarms.add(alarm(in.prefix() + "-broker-disk", Map.of("description", b.path("diskDescription").asText(),
                "threshold", b.path("diskFreeOverLimit").asDouble(), "evaluationPeriods", b.path("evaluationPeriods").asInt(),
                "comparison", "LessThanThreshold"), disk, action));
    }

    private static Metric brokerMetric(DeploymentInputs in, String name, int periodSeconds) {
        return Metric.Builder.create().namespace("AWS/AmazonMQ").metricName(name).dimensionsMap(Map.of("Broker", in.prefix()))
                .statistic("Maximum").period(Duration.seconds(periodSeconds)).build();
    }

    private static Metric typeMetric(DeploymentInputs in, String name, String type, String statistic, int periodSeconds) {
        return Metric.Builder.create().namespace(in.metricsNamespace()).metricName(name)
                .dimensionsMap(Map.of("Namespace", in.namespace(), "Type", type))
                .statistic(statistic).period(Duration.seconds(periodSeconds)).build();
    }

    private Alarm alarm(String name, Map<String, Object> a, IMetric metric, SnsAction action) {
        Alarm alarm = Alarm.Builder.create(this, name)
                .alarmName(name)
                .alarmDescription((String) a.get("description"))
                .metric(metric)
                .threshold((Double) a.get("threshold"))
                .evaluationPeriods((Integer) a.get("evaluationPeriods"))
                .comparisonOperator(ComparisonOperator.valueOf(upperSnake((String) a.get("comparison"))))
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
        return alarm;
    }

    private Alarm alarm(String name, JsonNode a, Metric metric, SnsAction action) {
        Alarm alarm = Alarm.Builder.create(this, name)
                .alarmName(name)
                .alarmDescription(a.path("description").asText())
                .metric(metric)
                .threshold(a.path("threshold").asDouble())
                .evaluationPeriods(a.path("evaluationPeriods").asInt())
                .comparisonOperator(ComparisonOperator.valueOf(upperSnake(a.path("comparison").asText())))
                .treatMissingData(TreatMissingData.valueOf(upperSnake(a.path("treatMissingData").asText("notBreaching"))))
                .build();
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
        return alarm;
    }

    private static Metric platformMetric(DeploymentInputs in, String name, String statistic, int periodSeconds) {
        return Metric.Builder.create().namespace(in.metricsNamespace()).metricName(name)
                .dimensionsMap(Map.of("Namespace", in.namespace()))
                .statistic(statistic).period(Duration.seconds(periodSeconds)).build();
    }

    private void dashboard(DeploymentInputs in, Functions functions) {
        Dashboard d = Dashboard.Builder.create(this, "Dashboard").dashboardName(in.prefix()).build();
        d.addWidgets(TextWidget.Builder.create().width(24).height(2).markdown("# Durable jobs `" + in.prefix()
                + "`\nDead letters: `GET /v1/dlq`, replay with `POST /v1/dlq/{jobId}/replay`. See infra/README.md.").build());
        d.addWidgets(
                GraphWidget.Builder.create().title("DLQ: dead letters (sum) and depth").width(12)
                        .left(List.of(platformMetric(in, "DeadLetters", "Sum", 300)))
                        .right(List.of(platformMetric(in, "DlqDepth", "Maximum", 300), platformMetric(in, "DlqParked", "Maximum", 300))).build(),
                GraphWidget.Builder.create().title("DLQ: oldest dead letter (s)").width(12)
                        .left(List.of(platformMetric(in, "DlqOldestAgeSeconds", "Maximum", 300))).build());
        d.addWidgets(
                GraphWidget.Builder.create().title("Breakers open / ledger mismatch").width(12)
                        .left(List.of(platformMetric(in, "BreakerOpen", "Maximum", 60),
                                platformMetric(in, "LedgerMismatch", "Maximum", 300))).build(),
                AlarmStatusWidget.Builder.create().title("Alarms").width(12).alarms(new ArrayList<IAlarm>(alarms)).build());
        List<IMetric> depths = new ArrayList<>();
        List<IMetric> ages = new ArrayList<>();
        for (String type : queueTypes(in)) {
            depths.add(typeMetric(in, "QueueDepth", type, "Maximum", 60));
            ages.add(typeMetric(in, "QueueAgeSeconds", type, "Maximum", 60));
        }
        d.addWidgets(
                GraphWidget.Builder.create().title("Queues: jobs waiting per type").width(12).left(depths).build(),
                GraphWidget.Builder.create().title("Queues: longest wait per type (s)").width(12).left(ages).build());
        List<IMetric> errors = new ArrayList<>();
        List<IMetric> durations = new ArrayList<>();
        for (FunctionSpec f : in.functions()) {
            Function fn = functions.get(f.name());
            errors.add(fn.metricErrors());
            durations.add(fn.metricDuration(MetricOptions.builder().statistic("p99").build()));
        }
        d.addWidgets(
                GraphWidget.Builder.create().title("Function errors").width(12).left(errors).build(),
                GraphWidget.Builder.create().title("Function duration p99").width(12).left(durations).build());
    }

    private static String upperSnake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
    }

    public Topic topic() {
        return topic;
    }

    public List<Alarm> alarms() {
        return alarms;
    }
}
