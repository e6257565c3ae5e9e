# AWS Batch: one compute environment and one queue per job size, and one job definition per job of
# the catalogue (../etl-jobs/<name>.yaml), the single source of truth shared with the CLI
# (io.observes.batch.JobCatalogue / SubmitRequests): definition and job name `observes-<name>`,
# queue `observes_<size>`.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  tags       = { product = "observes" }

  # --- The job catalogue ------------------------------------------------------------------------
  catalogue_dir = "${path.module}/../etl-jobs"
  # dynamo-tables.yaml is the dynamo ETL's routing file, not a job.
  catalogue_files = sort([for f in fileset(local.catalogue_dir, "*.yaml") : f if f != "dynamo-tables.yaml"])
  catalogue       = { for f in local.catalogue_files : f => yamldecode(file("${local.catalogue_dir}/${f}")) }

  sizes = {
    small  = { vcpus = 1, memory = 3800, queue = "observes_small" }
    medium = { vcpus = 2, memory = 7600, queue = "observes_medium" }
    large  = { vcpus = 4, memory = 15200, queue = "observes_large" }
  }

  # Commands that call the Batch API (submit chains, the hourly scheduler, failed-job reports): their
  # definitions get the job role that may use Batch; every other job gets the one that may not.
  batch_api_commands = ["submit", "scheduler", "batch-stability"]

  # Keyed by the job's name; a name used twice fails here with "Duplicate object key".
  jobs = {
    for f, doc in local.catalogue : doc.name => {
      file            = f
      batch_name      = "observes-${doc.name}"
      command         = [for c in doc.command : tostring(c)]
      schedule        = try(tostring(doc.schedule), null)
      size            = tostring(doc.size)
      size_known      = contains(keys(local.sizes), tostring(doc.size))
      spec            = lookup(local.sizes, tostring(doc.size), local.sizes.small)
      nodes           = try(tonumber(doc.nodes), 1)
      attempts        = try(tonumber(doc.attempts), 1)
      timeout_minutes = tonumber(doc.timeout_minutes)
      environment     = try({ for k, v in doc.environment : k => tostring(v) }, {})
      secrets         = try([for s in doc.secrets : tostring(s)], [])
      depends_on      = try([for d in doc.depends_on : tostring(d)], [])
      uses_batch_api  = length(setintersection(toset([for c in doc.command : tostring(c)]), toset(local.batch_api_commands))) > 0
    }
  }

  # --- Secrets -----------------------------------------------------------------------------------
  # A job's secret comes from Secrets Manager when var.secret_arns has its name (the container then
  # has it as an environment variable, which wins), else from the sops file var.secrets_file, whose
  # names Terraform reads from ../secrets.enc.yaml (names are not encrypted; values are). The file is
  # opened with the KMS key var.sops_kms_key_arn (job role) or the age identity in
  # var.sops_age_key_secret_arn (given to every job as SOPS_AGE_KEY). See docs/secrets.md.
  sops_names = var.secrets_file == null ? [] : [
    for k in keys(yamldecode(file("${path.module}/../secrets.enc.yaml"))) : k if k != "sops"
  ]
  job_secrets = {
    for name, job in local.jobs : name => concat(
      [for s in job.secrets : { name = s, valueFrom = var.secret_arns[s] } if contains(keys(var.secret_arns), s)],
      var.sops_age_key_secret_arn == null || var.secrets_file == null ? [] : [
        { name = "SOPS_AGE_KEY", valueFrom = var.sops_age_key_secret_arn }
      ],
    )
  }

  # AWS Batch runs no multi-node parallel job on Spot: a size whose queue has one stays On-Demand.
  multinode_sizes = toset([for job in local.jobs : job.size if job.nodes > 1])
  spot_sizes      = var.use_spot ? setsubtract(toset(keys(local.sizes)), local.multinode_sizes) : toset([])

  # --- The container every job definition runs --------------------------------------------------
  base_environment = merge(
    {
      AWS_REGION                 = var.region
      OBSERVES_DATA_BUCKET       = var.buckets.data
      OBSERVES_CACHE_BUCKET      = var.buckets.cache
      OBSERVES_STATE_BUCKET      = var.buckets.state
      OBSERVES_DYNAMO_TABLE      = var.dynamodb_table
      OBSERVES_REDSHIFT_IAM_ROLE = aws_iam_role.redshift_copy.arn
    },
    var.warehouse_url == null ? {} : { OBSERVES_WAREHOUSE_URL = var.warehouse_url },
    var.warehouse_user == null ? {} : { OBSERVES_WAREHOUSE_USER = var.warehouse_user },
    var.secrets_file == null ? {} : { OBSERVES_SECRETS_FILE = var.secrets_file },
    var.common_environment,
  )

  # The image's ENTRYPOINT is `java -XX:MaxRAMPercentage=75 -jar /app/observes.jar`, so a job's
  # command is the observes argv alone (Batch passes it as the container's CMD).
  containers = {
    for name, job in local.jobs : name => merge(
      {
        image            = var.image
        command          = job.command
        jobRoleArn       = job.uses_batch_api ? aws_iam_role.job_batch.arn : aws_iam_role.job.arn
        executionRoleArn = aws_iam_role.execution.arn
        resourceRequirements = [
          { type = "VCPU", value = tostring(job.spec.vcpus) },
          { type = "MEMORY", value = tostring(job.spec.memory) },
        ]
        # OBSERVES_JOB_TIMEOUT_SECONDS: a multi-node main node stops waiting for silent nodes in time to
        # name them before Batch's attempt timeout kills it.
        environment = [
          for k, v in merge(local.base_environment, job.environment, {
            OBSERVES_LOG_FORMAT          = "json"
            OBSERVES_JOB_TIMEOUT_SECONDS = tostring(job.timeout_minutes * 60)
            OBSERVES_JOB_ATTEMPTS        = tostring(job.attempts)
          }) : { name = k, value = v }
        ]
        logConfiguration = {
          logDriver = "awslogs"
          options = {
            awslogs-group         = aws_cloudwatch_log_group.jobs.name
            awslogs-region        = var.region
            awslogs-stream-prefix = name
          }
        }
      },
      length(local.job_secrets[name]) == 0 ? null : {
        secrets = local.job_secrets[name]
      },
      var.registry_credentials_secret_arn == null ? null : {
        repositoryCredentials = { credentialsParameter = var.registry_credentials_secret_arn }
      },
    )
  }

  # What the EventBridge schedules start: `observes batch submit <job>`, which gives the run a run id
  # (OBSERVES_RUN_ID, required by the dynamo phases), submits the jobs that depend on it as a
  # dependsOn chain (dynamo-phase1 -> phase2 -> phase3 -> phase4) and skips a job already active.
  submitter = {
    batch_name = "observes-batch-submit"
    container = merge(
      {
        image            = var.image
        command          = ["batch", "submit", "--help"]
        jobRoleArn       = aws_iam_role.job_batch.arn
        executionRoleArn = aws_iam_role.execution.arn
        resourceRequirements = [
          { type = "VCPU", value = tostring(local.sizes.small.vcpus) },
          { type = "MEMORY", value = tostring(local.sizes.small.memory) },
        ]
        environment = [
          for k, v in merge(local.base_environment, { OBSERVES_LOG_FORMAT = "json" }) : { name = k, value = v }
        ]
        logConfiguration = {
          logDriver = "awslogs"
          options = {
            awslogs-group         = aws_cloudwatch_log_group.jobs.name
            awslogs-region        = var.region
            awslogs-stream-prefix = "batch-submit"
          }
        }
      },
      var.registry_credentials_secret_arn == null ? null : {
        repositoryCredentials = { credentialsParameter = var.registry_credentials_secret_arn }
      },
    )
  }
}

resource "aws_cloudwatch_log_group" "jobs" {
  name              = "/aws/batch/observes"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

# --- Compute ---------------------------------------------------------------------------------------

resource "aws_batch_compute_environment" "observes" {
  for_each                        = local.sizes
  compute_environment_name_prefix = "observes-${each.key}-"
  type                            = "MANAGED"
  state                           = "ENABLED"
  # No service_role: Batch uses its service-linked role (AWSServiceRoleForBatch).

  compute_resources {
    type                = contains(local.spot_sizes, each.key) ? "SPOT" : "EC2"
    allocation_strategy = contains(local.spot_sizes, each.key) ? "SPOT_CAPACITY_OPTIMIZED" : "BEST_FIT_PROGRESSIVE"
    bid_percentage      = contains(local.spot_sizes, each.key) ? var.spot_bid_percentage : null
    min_vcpus           = 0
    max_vcpus           = var.max_vcpus[each.key]
    instance_type       = var.instance_types
    instance_role       = aws_iam_instance_profile.ecs_instance.arn
    subnets             = var.subnet_ids
    security_group_ids  = var.security_group_ids
    tags                = merge(local.tags, { Name = "observes-${each.key}" })
  }

  tags = local.tags

  # Most changes replace the environment: create the new one and move the queue to it first.
  lifecycle {
    create_before_destroy = true
  }

  depends_on = [aws_iam_role_policy_attachment.ecs_instance]
}

resource "aws_batch_job_queue" "observes" {
  for_each = local.sizes
  name     = each.value.queue
  state    = "ENABLED"
  priority = 1

  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.observes[each.key].arn
  }

  tags = local.tags
}

# --- Job definitions -------------------------------------------------------------------------------

resource "aws_batch_job_definition" "job" {
  for_each              = local.jobs
  name                  = each.value.batch_name
  type                  = each.value.nodes > 1 ? "multinode" : "container"
  platform_capabilities = ["EC2"]
  propagate_tags        = true

  container_properties = each.value.nodes > 1 ? null : jsonencode(local.containers[each.key])

  # Node i of N reads AWS_BATCH_JOB_NODE_INDEX / AWS_BATCH_JOB_NUM_NODES; node 0 waits for the others.
  node_properties = each.value.nodes > 1 ? jsonencode({
    mainNode = 0
    numNodes = each.value.nodes
    nodeRangeProperties = [
      { targetNodes = "0:", container = local.containers[each.key] },
    ]
  }) : null

  retry_strategy {
    attempts = each.value.attempts
  }

  timeout {
    attempt_duration_seconds = each.value.timeout_minutes * 60
  }

  tags = merge(local.tags, { job = each.key })

  lifecycle {
    precondition {
      condition     = can(regex("^[a-z0-9-]+$", each.key)) && each.value.file == "${each.key}.yaml"
      error_message = "etl-jobs/${each.value.file}: name '${each.key}' must be [a-z0-9-] and the file must be named <name>.yaml."
    }
    precondition {
      condition     = each.value.size_known
      error_message = "etl-jobs/${each.value.file}: size '${each.value.size}' must be one of ${join(", ", keys(local.sizes))}."
    }
    precondition {
      condition     = each.value.nodes >= 1 && each.value.attempts >= 1 && each.value.attempts <= 10 && each.value.timeout_minutes >= 1
      error_message = "etl-jobs/${each.value.file}: nodes must be >= 1, attempts 1-10 and timeout_minutes >= 1."
    }
    precondition {
      condition     = alltrue([for s in each.value.secrets : contains(keys(var.secret_arns), s) || contains(local.sops_names, s)])
      error_message = "etl-jobs/${each.value.file}: secrets ${jsonencode([for s in each.value.secrets : s if !contains(keys(var.secret_arns), s) && !contains(local.sops_names, s)])} are neither in secrets.enc.yaml (with var.secrets_file set) nor in var.secret_arns."
    }
    precondition {
      condition     = alltrue([for d in each.value.depends_on : contains(keys(local.jobs), d)])
      error_message = "etl-jobs/${each.value.file}: depends_on names a job that is not in the catalogue."
    }
  }
}

# The job the schedules run; its command is given per schedule (ContainerOverrides).
resource "aws_batch_job_definition" "submitter" {
  name                  = local.submitter.batch_name
  type                  = "container"
  platform_capabilities = ["EC2"]
  propagate_tags        = true
  container_properties  = jsonencode(local.submitter.container)

  retry_strategy {
    attempts = 2
  }

  timeout {
    attempt_duration_seconds = 15 * 60
  }

  tags = merge(local.tags, { job = "batch-submit" })

  lifecycle {
    precondition {
      condition     = !contains(keys(local.jobs), "batch-submit")
      error_message = "etl-jobs/batch-submit.yaml: the name batch-submit is taken by the scheduled submitter job definition."
    }
  }
}
