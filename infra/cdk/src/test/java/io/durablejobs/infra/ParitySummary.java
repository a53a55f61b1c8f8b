package io.durablejobs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of a deployment that must be identical between the CDK template and the Terraform plan, each as
 * a sorted map of name to a one-line description: functions (with their env names, JOBS_SHARDS value, reserved
 * concurrency, SnapStart and log format), mappings, alarms (metric math included), routes (throttles and the
 * function each one invokes), broker, the topology
 * the deploy step declares, and the wiring: aliases, VPC endpoints, what re-triggers the topology step.
 */
record ParitySummary(
        Map<String, String> functions,
        Map<String, String> mappings,
        Map<String, String> alarms,
        Map<String, String> routes,
        Map<String, String> broker,
        JsonNode deployTopology,
        Map<String, List<String>> permissions,
        Map<String, String> schedules,
        Map<String, String> wiring) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ParitySummary fromCdk(JsonNode template) throws Exception {
        TemplateView v = new TemplateView(template);
        Map<String, String> functions = new TreeMap<>();
        for (JsonNode f : v.ofType("AWS::Lambda::Function")) {
            JsonNode p = f.path("Properties");
            if (!p.has("FunctionName")) {
                continue; // the CDK provider framework's own function has no counterpart in Terraform
            }
            List<String> env = new ArrayList<>();
            p.path("Environment").path("Variables").fieldNames().forEachRemaining(env::add);
            functions.put(p.path("FunctionName").asText(), line(p.path("MemorySize"), p.path("Timeout"), p.path("Handler"),
                    p.path("Runtime"), p.path("Architectures").get(0), JSON.valueToTree(env.stream().sorted().toList()),
                    p.path("Environment").path("Variables").path("JOBS_SHARDS"), p.path("ReservedConcurrentExecutions"),
                    p.path("SnapStart").path("ApplyOn"), p.path("LoggingConfig").path("LogFormat")));
        }
        Map<String, String> mappings = new TreeMap<>();
        for (JsonNode m : v.ofType("AWS::Lambda::EventSourceMapping")) {
            JsonNode p = m.path("Properties");
            List<String> sac = new ArrayList<>();
            p.path("SourceAccessConfigurations").forEach(s -> sac.add(s.path("Type").asText()
                    + ("VIRTUAL_HOST".equals(s.path("Type").asText()) ? "=" + s.path("URI").asText() : "")));
            mappings.put(p.path("Queues").get(0).asText() + " (" + p.path("Queues").size() + " queue)",
                    line(JSON.valueToTree(v.functionNameOf(p.path("FunctionName"))), p.path("BatchSize"),
                            p.path("MaximumBatchingWindowInSeconds"), JSON.valueToTree(sac.stream().sorted().toList())));
        }
        Map<String, String> alarms = new TreeMap<>();
        for (JsonNode a : v.ofType("AWS::CloudWatch::Alarm")) {
            JsonNode p = a.path("Properties");
            List<String> dims = new ArrayList<>();
            p.path("Dimensions").forEach(d -> dims.add(d.path("Name").asText()));
            List<String> math = new ArrayList<>();
            for (JsonNode q : p.path("Metrics")) {
                JsonNode stat = q.path("MetricStat");
                if (q.has("Expression")) {
                    math.add("expr " + q.path("Expression").asText());
                } else {
                    List<String> qd = new ArrayList<>();
                    stat.path("Metric").path("Dimensions").forEach(d -> qd.add(d.path("Name").asText()));
                    math.add(q.path("Id").asText() + " " + stat.path("Metric").path("Namespace").asText() + "/"
                            + stat.path("Metric").path("MetricName").asText() + " " + stat.path("Stat").asText() + " "
                            + stat.path("Period").asText() + " " + qd.stream().sorted().toList());
                }
            }
            math.sort(null);
            alarms.put(p.path("AlarmName").asText(), line(p.path("Namespace"), p.path("MetricName"), p.path("Statistic"),
                    p.path("Period"), p.path("EvaluationPeriods"), p.path("Threshold"), p.path("ComparisonOperator"),
                    p.path("TreatMissingData"), JSON.valueToTree(dims.stream().sorted().toList()), JSON.valueToTree(math)));
        }
        Map<String, String> routes = new TreeMap<>();
        JsonNode settings = v.ofType("AWS::ApiGatewayV2::Stage").get(0).path("Properties").path("RouteSettings");
        for (JsonNode r : v.ofType("AWS::ApiGatewayV2::Route")) {
            String key = r.path("Properties").path("RouteKey").asText();
            // The function the route's integration invokes: {"Fn::Join": ["", ["integrations/", {"Ref": integration}]]}
            JsonNode integration = v.byRef(r.path("Properties").path("Target").path("Fn::Join").get(1).get(1));
            routes.put(key, line(settings.path(key).path("ThrottlingRateLimit"), settings.path(key).path("ThrottlingBurstLimit"),
                    JSON.valueToTree(v.functionNameOf(integration.path("Properties").path("IntegrationUri")))));
        }
        JsonNode b = v.ofType("AWS::AmazonMQ::Broker").get(0).path("Properties");
        Map<String, String> broker = new TreeMap<>(Map.of(
                "engine", line(b.path("EngineType"), b.path("EngineVersion")),
                "deployment", line(b.path("DeploymentMode"), b.path("HostInstanceType"), b.path("PubliclyAccessible")),
                "users", line(JSON.valueToTree(b.path("Users").size()))));
        JsonNode topology = JSON.readTree(v.ofType("Custom::RabbitMqTopology").get(0).path("Properties").path("Topology").asText());
        Map<String, String> roleToFunction = new TreeMap<>();
        Map<String, String> logicalToFunction = new TreeMap<>();
        template.path("Resources").properties().forEach(e -> {
            JsonNode p = e.getValue().path("Properties");
            if ("AWS::Lambda::Function".equals(e.getValue().path("Type").asText()) && p.has("FunctionName")) {
                roleToFunction.put(p.path("Role").path("Fn::GetAtt").get(0).asText(), p.path("FunctionName").asText());
                logicalToFunction.put(e.getKey(), p.path("FunctionName").asText());
            }
        });
        Map<String, List<String>> permissions = new TreeMap<>();
        for (JsonNode policy : v.ofType("AWS::IAM::Policy")) {
            for (JsonNode role : policy.path("Properties").path("Roles")) {
                String fn = roleToFunction.get(role.path("Ref").asText());
                if (fn == null) {
                    continue; // the provider framework's role
                }
                List<String> sts = permissions.computeIfAbsent(fn, k -> new ArrayList<>());
                for (JsonNode st : policy.path("Properties").path("PolicyDocument").path("Statement")) {
                    sts.add(statement(TemplateView.list(st.path("Action")), st.path("Condition")));
                }
            }
        }
        permissions.values().forEach(l -> l.sort(null));
        Map<String, String> schedules = new TreeMap<>();
        for (JsonNode r : v.ofType("AWS::Events::Rule")) {
            JsonNode p = r.path("Properties");
            for (JsonNode t : p.path("Targets")) {
                schedules.put(p.path("Name").asText(), line(p.path("ScheduleExpression"),
                        JSON.valueToTree(v.functionNameOf(t.path("Arn"))), t.path("Input")));
            }
        }
        Map<String, String> wiring = new TreeMap<>();
        for (JsonNode a : v.ofType("AWS::Lambda::Alias")) {
            JsonNode p = a.path("Properties");
            wiring.put("alias " + logicalToFunction.get(p.path("FunctionName").path("Ref").asText()), p.path("Name").asText());
        }
        for (JsonNode e : v.ofType("AWS::EC2::VPCEndpoint")) {
            JsonNode p = e.path("Properties");
            JsonNode parts = p.path("ServiceName").path("Fn::Join").get(1);
            String service = parts.get(parts.size() - 1).asText().replaceFirst("^\\.", "");
            wiring.put("endpoint " + service, p.path("VpcEndpointType").asText() + " | " + p.path("RouteTableIds").size());
        }
        List<String> props = new ArrayList<>();
        v.ofType("Custom::RabbitMqTopology").get(0).path("Properties").fieldNames().forEachRemaining(k -> {
            if (!"ServiceToken".equals(k)) {
                props.add(k);
            }
        });
        wiring.put("topology properties", props.stream().sorted().toList().toString());
        return new ParitySummary(functions, mappings, alarms, routes, broker, topology, permissions, schedules, wiring);
    }

    static ParitySummary fromPlan(JsonNode plan) throws Exception {
        JsonNode outputs = plan.path("planned_values").path("outputs");
        Map<String, String> functions = new TreeMap<>();
        Map<String, String> mappings = new TreeMap<>();
        Map<String, String> alarms = new TreeMap<>();
        Map<String, String> routes = new TreeMap<>();
        Map<String, String> broker = new TreeMap<>();
        JsonNode topology = null;
        JsonNode stageSettings = null;
        Map<String, String> wiring = new TreeMap<>();
        outputs.path("vpc_endpoints").path("value").properties().forEach(e -> wiring.put("endpoint " + e.getKey(), e.getValue().asText()));
        // The invocation's input holds the broker's ID, unknown until apply, so the plan leaves it out; the
        // output carries what it is built from.
        JsonNode step = outputs.path("topology_step").path("value");
        if (step.has("topology")) {
            topology = JSON.readTree(step.path("topology").asText());
            List<String> props = new ArrayList<>();
            step.path("properties").forEach(k -> props.add(k.asText()));
            wiring.put("topology properties", props.stream().sorted().toList().toString());
        }
        List<String> routeKeys = new ArrayList<>();
        for (JsonNode r : plan.path("planned_values").path("root_module").path("resources")) {
            JsonNode p = r.path("values");
            switch (r.path("type").asText()) {
                case "aws_lambda_function" -> functions.put(p.path("function_name").asText(), line(p.path("memory_size"),
                        p.path("timeout"), p.path("handler"), p.path("runtime"), p.path("architectures").get(0),
                        outputs.path("function_env_keys").path("value").path(p.path("function_name").asText()),
                        outputs.path("function_jobs_shards").path("value").path(p.path("function_name").asText()),
                        // -1 is the provider's "unreserved", which CloudFormation expresses by leaving the property out
                        p.path("reserved_concurrent_executions").asInt() == -1 ? null : p.path("reserved_concurrent_executions"),
                        p.path("snap_start").path(0).path("apply_on"), p.path("logging_config").path(0).path("log_format")));
                case "aws_lambda_alias" -> wiring.put("alias " + p.path("function_name").asText(), p.path("name").asText());
                case "aws_lambda_event_source_mapping" -> {
                    List<String> sac = new ArrayList<>();
                    p.path("source_access_configuration").forEach(s -> sac.add(s.path("type").asText()
                            + ("VIRTUAL_HOST".equals(s.path("type").asText()) ? "=" + s.path("uri").asText() : "")));
                    String queue = p.path("queues").get(0).asText();
                    mappings.put(queue + " (" + p.path("queues").size() + " queue)", line(
                            outputs.path("mapped_queues").path("value").path(queue), p.path("batch_size"),
                            p.path("maximum_batching_window_in_seconds"), JSON.valueToTree(sac.stream().sorted().toList())));
                }
                case "aws_cloudwatch_metric_alarm" -> {
                    List<String> dims = new ArrayList<>();
                    p.path("dimensions").fieldNames().forEachRemaining(dims::add);
                    // dimensions known only after apply (the API's id) are absent from the plan: Terraform names them
                    if (unknownAfterApply(plan, r.path("address").asText()).path("dimensions").asBoolean(false)) {
                        outputs.path("api_alarm_dimension_names").path("value").path(p.path("alarm_name").asText())
                                .forEach(d -> dims.add(d.asText()));
                    }
                    List<String> math = new ArrayList<>();
                    for (JsonNode q : p.path("metric_query")) {
                        if (!q.path("expression").asText("").isEmpty()) {
                            math.add("expr " + q.path("expression").asText());
                        } else {
                            JsonNode m = q.path("metric").get(0);
                            List<String> qd = new ArrayList<>();
                            m.path("dimensions").fieldNames().forEachRemaining(qd::add);
                            math.add(q.path("id").asText() + " " + m.path("namespace").asText() + "/" + m.path("metric_name").asText()
                                    + " " + m.path("stat").asText() + " " + m.path("period").asText() + " " + qd.stream().sorted().toList());
                        }
                    }
                    math.sort(null);
                    alarms.put(p.path("alarm_name").asText(), line(p.path("namespace"), p.path("metric_name"),
                            p.path("statistic"), p.path("period"), p.path("evaluation_periods"), p.path("threshold"),
                            p.path("comparison_operator"), p.path("treat_missing_data"), JSON.valueToTree(dims.stream().sorted().toList()),
                            JSON.valueToTree(math)));
                }
                case "aws_apigatewayv2_route" -> routeKeys.add(p.path("route_key").asText());
                case "aws_apigatewayv2_stage" -> stageSettings = p.path("route_settings");
                case "aws_mq_broker" -> {
                    broker.put("engine", line(JSON.valueToTree(p.path("engine_type").asText().toUpperCase()), p.path("engine_version")));
                    broker.put("deployment", line(p.path("deployment_mode"), p.path("host_instance_type"), p.path("publicly_accessible")));
                    broker.put("users", line(JSON.valueToTree(p.path("user").size())));
                }

                default -> {
                }
            }
        }
        Map<String, List<String>> permissions = new TreeMap<>();
        outputs.path("function_permissions").path("value").properties().forEach(e -> {
            List<String> sts = new ArrayList<>();
            for (JsonNode line : e.getValue()) {
                String text = line.asText();
                int space = text.indexOf(' ');
                List<JsonNode> actions = new ArrayList<>();
                for (String a : text.substring(0, space).split(",")) {
                    actions.add(JSON.valueToTree(a));
                }
                try {
                    sts.add(statement(actions, JSON.readTree(text.substring(space + 1))));
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }
            sts.sort(null);
            permissions.put(e.getKey(), sts);
        });
        Map<String, String> schedules = new TreeMap<>();
        outputs.path("schedules").path("value").properties().forEach(e -> schedules.put(e.getKey(),
                line(e.getValue().path("expression"), e.getValue().path("function"), e.getValue().path("input"))));
        for (String key : routeKeys) {
            for (JsonNode s : stageSettings) {
                if (key.equals(s.path("route_key").asText())) {
                    routes.put(key, line(s.path("throttling_rate_limit"), s.path("throttling_burst_limit"),
                            outputs.path("route_functions").path("value").path(key)));
                }
            }
        }
        return new ParitySummary(functions, mappings, alarms, routes, broker, topology, permissions, schedules, wiring);
    }

    private static JsonNode unknownAfterApply(JsonNode plan, String address) {
        for (JsonNode c : plan.path("resource_changes")) {
            if (address.equals(c.path("address").asText())) {
                return c.path("change").path("after_unknown");
            }
        }
        return JSON.missingNode();
    }

    /**
     * One IAM statement without its resources (their ARNs are intrinsics in CDK and unknown in an offline
     * plan): sorted actions and the condition, every condition value as a sorted list.
     */
    private static String statement(List<JsonNode> actions, JsonNode condition) {
        Map<String, Map<String, List<String>>> c = new TreeMap<>();
        condition.properties().forEach(op -> op.getValue().properties().forEach(k -> {
            List<String> values = new ArrayList<>();
            TemplateView.list(k.getValue()).forEach(x -> values.add(x.asText()));
            values.sort(null);
            c.computeIfAbsent(op.getKey(), x -> new TreeMap<>()).put(k.getKey(), values);
        }));
        return String.join(",", actions.stream().map(JsonNode::asText).sorted().toList()) + " " + JSON.valueToTree(c);
    }

    /** Values joined with " | ", numbers normalized (200.0 == 200), missing as "-". */
    private static String line(JsonNode... values) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : values) {
            if (v == null || v.isMissingNode() || v.isNull()) {
                out.add("-");
            } else if (v.isNumber()) {
                out.add(new BigDecimal(v.asText()).stripTrailingZeros().toPlainString());
            } else if (v.isValueNode()) {
                out.add(v.asText());
            } else {
                out.add(v.toString());
            }
        }
        return String.join(" | ", out);
    }
}
