package io.durablejobs.infra.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.infra.model.DeploymentInputs;
import io.durablejobs.infra.model.ApiRoutes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The HTTP API: the product's routes (platform.json api.routes), each to the http function serving it
 * ({@link ApiRoutes}: the store routes to the store API function, the rest to the submit function), throttled
 * per route.
 *
 * <p>The default stage names every route in its RouteSettings, and CloudFormation rejects a stage whose
 * RouteSettings name a route that does not exist yet ("Unable to find Route by key ..."), so the stage
 * depends on every route. A SnapStart function is integrated through its live alias.
 *
 * <p>No API Gateway authorizer: each http function checks {@code Authorization: Bearer <key>} itself
 * (keys from JOBS_API_KEYS_SECRET_ARN). A gateway authorizer answers 401/403 with its own body, while the
 * product promises RFC 9457 problem+json and the same behaviour as the local host; the check is an
 * in-memory map lookup, so a separate authorizer would add a cold start and latency for nothing. The
 * throttles below bound what an unauthenticated flood can cost.
 */
public final class Api extends Construct {
    private final HttpApi api;

    public Api(Construct scope, String id, DeploymentInputs in, Functions functions) {
        super(scope, id);
        this.api = HttpApi.Builder.create(this, "HttpApi")
                .apiName(in.prefix())
                .description("Durable jobs API (" + in.prefix() + ")")
                .createDefaultStage(true)
                .build();
        JsonNode apiCfg = in.platform().path("api");
        Map<String, String> owners = ApiRoutes.owners(in.platform(), in.functions());
        Map<String, Object> routeSettings = new LinkedHashMap<>();
        Map<String, HttpLambdaIntegration> integrations = new LinkedHashMap<>();
        List<HttpRoute> routes = new ArrayList<>();
        for (JsonNode r : apiCfg.path("routes")) {
            String routeKey = r.path("method").asText() + " " + r.path("path").asText();
            routes.addAll(api.addRoutes(AddRoutesOptions.builder()
                    .path(r.path("path").asText())
                    .methods(List.of(HttpMethod.valueOf(r.path("method").asText())))
                    .integration(integrations.computeIfAbsent(owners.get(routeKey),
                            n -> new HttpLambdaIntegration(n + "-integration", functions.invokeTarget(n))))
                    .build()));
            routeSettings.put(routeKey, Map.of(
                    "ThrottlingRateLimit", r.path("rateLimit").asDouble(),
                    "ThrottlingBurstLimit", r.path("burstLimit").asInt()));
        }
        LogGroup access = LogGroup.Builder.create(this, "AccessLogs")
                .logGroupName("/aws/apigateway/" + in.prefix())
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        CfnStage stage = (CfnStage) api.getDefaultStage().getNode().getDefaultChild();
        routes.forEach(route -> stage.getNode().addDependency(route));
        stage.addPropertyOverride("DefaultRouteSettings", Map.of(
                "ThrottlingRateLimit", apiCfg.path("defaultRateLimit").asDouble(),
                "ThrottlingBurstLimit", apiCfg.path("defaultBurstLimit").asInt()));
        stage.addPropertyOverride("RouteSettings", routeSettings);
        stage.setAccessLogSettings(CfnStage.AccessLogSettingsProperty.builder()
                .destinationArn(access.getLogGroupArn())
                .format("{\"requestId\":\"$context.requestId\",\"routeKey\":\"$context.routeKey\","
                        + "\"status\":\"$context.status\",\"latencyMs\":\"$context.responseLatency\","
                        + "\"integrationError\":\"$context.integrationErrorMessage\"}")
                .build());
    }

    public HttpApi api() {
        return api;
    }
}
