# The deploy-time topology step: the topology-deployer function (platform.json deployFunctions) declares
# infra/topology.json plus the shard queues on the broker, with the same payload the CDK custom resource
# sends. Re-invoked whenever the topology changes, and whenever the broker is replaced (a new broker starts
# empty). Terraform always sends RequestType Create; the handler is idempotent.
locals {
  topology_properties = { Topology = local.deploy_topology, TopologySha256 = sha256(local.deploy_topology), BrokerId = aws_mq_broker.this.id }
}

resource "aws_lambda_invocation" "topology" {
  function_name = aws_lambda_function.fn["topology-deployer"].function_name
  input = jsonencode({
    RequestType        = "Create"
    ResourceProperties = local.topology_properties
  })
  triggers = {
    topology = sha256(local.deploy_topology)
    broker   = aws_mq_broker.this.id
  }
  depends_on = [aws_mq_broker.this]
}

# One mapping per queue (a RabbitMQ mapping takes exactly one), each one concurrent environment.
resource "aws_lambda_event_source_mapping" "queue" {
  for_each                           = local.mappings
  event_source_arn                   = aws_mq_broker.this.arn
  function_name                      = local.invoke[each.value.function].arn
  queues                             = [each.key]
  batch_size                         = local.functions[each.value.function].batch_size
  maximum_batching_window_in_seconds = each.value.window
  enabled                            = true

  source_access_configuration {
    type = "BASIC_AUTH"
    uri  = aws_secretsmanager_secret.broker.arn
  }

  source_access_configuration {
    type = "VIRTUAL_HOST"
    uri  = local.platform.broker.virtualHost
  }

  depends_on = [aws_lambda_invocation.topology, aws_iam_role_policy.fn, aws_secretsmanager_secret_version.broker]
}
