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
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
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

    public Monitoring(Construct scope, String id, DeploymentInputs in, Functions functions, String alarmEmail) {
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
        dashboard(in, functions);
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
                        .right(List.of(platformMetric(in, "DlqDepth", "Maximum", 300))).build(),
                GraphWidget.Builder.create().title("DLQ: oldest dead letter (s)").width(12)
                        .left(List.of(platformMetric(in, "DlqOldestAgeSeconds", "Maximum", 300))).build());
        d.addWidgets(
                GraphWidget.Builder.create().title("Breakers open / ledger mismatch").width(12)
                        .left(List.of(platformMetric(in, "BreakerOpen", "Maximum", 60),
                                platformMetric(in, "LedgerMismatch", "Maximum", 300))).build(),
                AlarmStatusWidget.Builder.create().title("Alarms").width(12).alarms(new ArrayList<IAlarm>(alarms)).build());
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
