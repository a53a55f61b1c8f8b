# HTTP API with the product's routes (platform.json api.routes), throttled per route, each to the http
# function serving it: the one whose functions.json trigger lists the route, else the one that lists none
# (the store routes to store-api, the rest to submit; the CDK app's ApiRoutes applies the same rule). No
# gateway authorizer: each http function checks the bearer key itself, so errors stay RFC 9457
# problem+json and identical to the local host (infra/README.md explains).
locals {
  routes = { for r in local.platform.api.routes : "${r.method} ${r.path}" => merge(r, {
    owner = one(length([for k, f in local.http_functions : k if contains(f.routes, "${r.method} ${r.path}")]) > 0
      ? [for k, f in local.http_functions : k if contains(f.routes, "${r.method} ${r.path}")]
    : [for k, f in local.http_functions : k if length(f.routes) == 0])
  }) }
}

resource "aws_apigatewayv2_api" "this" {
  name          = local.prefix
  description   = "Durable jobs API (${local.prefix})"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "fn" {
  for_each               = local.http_functions
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = local.invoke[each.key].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "this" {
  for_each  = local.routes
  api_id    = aws_apigatewayv2_api.this.id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.fn[each.value.owner].id}"
}

resource "aws_lambda_permission" "api" {
  for_each      = local.http_functions
  statement_id  = "AllowHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn[each.key].function_name
  qualifier     = local.invoke[each.key].qualifier
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*"
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/aws/apigateway/${local.prefix}"
  retention_in_days = 30
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = local.platform.api.defaultRateLimit
    throttling_burst_limit = local.platform.api.defaultBurstLimit
  }

  dynamic "route_settings" {
    for_each = local.routes
    content {
      route_key              = route_settings.key
      throttling_rate_limit  = route_settings.value.rateLimit
      throttling_burst_limit = route_settings.value.burstLimit
    }
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api.arn
    format = jsonencode({
      requestId        = "$context.requestId"
      routeKey         = "$context.routeKey"
      status           = "$context.status"
      latencyMs        = "$context.responseLatency"
      integrationError = "$context.integrationErrorMessage"
    })
  }

  # The route settings name every route: CloudFormation and the API reject settings for a route that does
  # not exist yet, so the stage waits for all of them.
  depends_on = [aws_apigatewayv2_route.this]
}
