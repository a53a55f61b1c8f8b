# Everything below is derived from three files the CDK app reads too, so neither can drift:
# infra/topology.json (generated from the runtime's Topology), functions/functions.json, infra/platform.json.
locals {
  topology = jsondecode(file("${path.module}/../infra/topology.json"))
  fn_doc   = jsondecode(file(var.functions_file != "" ? var.functions_file : "${path.module}/../functions/functions.json"))
  platform = jsondecode(file("${path.module}/../infra/platform.json"))
  defaults = local.fn_doc.defaults
  settings = local.platform.stages[var.stage]

  ns      = local.topology.namespace
  prefix  = "${local.ns}-${var.stage}"
  azs     = length(var.availability_zones) > 0 ? var.availability_zones : ["${var.region}a", "${var.region}b"]
  metrics = local.platform.metricsNamespace

  # One entry per function: the app's table plus the deploy-time functions of platform.json.
  functions = { for f in concat(local.fn_doc.functions, local.platform.deployFunctions) : f.name => {
    name            = f.name
    module          = f.module
    artifact        = f.artifact
    handler         = f.handler
    runtime         = try(f.runtime, local.defaults.runtime, "java21")
    memory_mb       = try(f.memoryMb, local.defaults.memoryMb, 512)
    timeout_seconds = try(f.timeoutSeconds, local.defaults.timeoutSeconds, 60)
    batch_size      = try(f.batchSize, local.defaults.batchSize, 100)
    batch_window_ms = try(f.batchWindowMs, local.defaults.batchWindowMs, 500)
    shards          = try(f.shards, local.defaults.shards, 1)
    # Environments per trigger (per mapping for a queue function), null: nothing reserved.
    concurrency = try(f.concurrency, local.defaults.concurrency, null)
    snap_start  = try(f.snapStart, local.defaults.snapStart, false)
    kind        = f.trigger.kind
    job_type    = try(f.trigger.jobType, null)
    role        = try(f.trigger.role, null)
    routes      = try(f.trigger.routes, [])
    expression  = try(f.trigger.expression, null)
    app         = contains([for a in local.fn_doc.functions : a.name], f.name)
    jar         = "${path.module}/../${f.module}/target/${f.artifact}-0.1.0-SNAPSHOT-lambda.jar"
  } }
  # Reserved concurrency (null: none): a queue function's concurrency per mapping times its mappings (one
  # environment per RabbitMQ mapping), an http function's as it is. Same rule as FunctionSpec.reservedConcurrency().
  reserved_concurrency = { for k, f in local.functions : k => f.concurrency == null ? null : (f.kind == "queue" ? f.concurrency * f.shards : f.concurrency) }
  queue_functions      = { for k, f in local.functions : k => f if f.kind == "queue" }
  http_functions       = { for k, f in local.functions : k => f if f.kind == "http" }
  schedule_functions   = { for k, f in local.functions : k => f if f.kind == "schedule" }

  # The queue a queue trigger names: the work queue of its jobType, or the one queue with its role (dead).
  base_queue = { for k, f in local.queue_functions : k => one([
    for q in local.topology.queues : q.name
    if(f.job_type != null ? (q.role == "work" && try(q.jobType, "") == f.job_type) : q.role == f.role)
  ]) }
  queue_json = { for q in local.topology.queues : q.name => q }

  # Sharding (see infra/README.md): shard 0 is the type's own queue; shards 1..N-1 are <queue>.<n>, bound
  # with routing key <type>.<n>. Same rule as the CDK app's QueuePlan.
  mappings = merge([for k, f in local.queue_functions : {
    for n in range(f.shards) : (n == 0 ? local.base_queue[k] : "${local.base_queue[k]}.${n}") => {
      function = k
      shard    = n
      # The mapping's window is whole seconds; unset is AWS's default of 500 ms.
      window = f.batch_window_ms == 500 ? null : ceil(f.batch_window_ms / 1000)
    }
  }]...)
  shard_queues = flatten([for k, f in local.queue_functions : [
    for n in range(1, f.shards) : merge(local.queue_json[local.base_queue[k]], {
      name     = "${local.base_queue[k]}.${n}"
      shard    = n
      bindings = [for b in local.queue_json[local.base_queue[k]].bindings : merge(b, { routingKey = "${f.job_type}.${n}" })]
    })
  ]])
  deploy_topology = jsonencode(merge(local.topology, { queues = concat(local.topology.queues, local.shard_queues) }))

  # The runtime's JOBS_SHARDS: <jobType>=<N> for every sharded type, sorted by type, comma-separated
  # (e.g. "webhook.deliver=4"); "" when nothing is sharded. Same string as the CDK app's QueuePlan.jobsShards().
  sharded_types = { for k, f in local.queue_functions : f.job_type => f.shards if f.job_type != null && f.shards > 1 }
  jobs_shards   = join(",", [for t in sort(keys(local.sharded_types)) : "${t}=${local.sharded_types[t]}"])

  retry_tiers = join(",", [for q in local.topology.queues : trimprefix(q.name, "${local.ns}.retry.") if q.role == "retry"])

  placeholder_zip = "${path.module}/placeholder-lambda.zip"
}
