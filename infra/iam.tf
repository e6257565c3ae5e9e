# IAM, least privilege:
# - job:        what every job's code may do (the platform table, the three buckets, the bills prefix);
# - job_batch:  the same plus the Batch API, for the jobs that submit or watch jobs (batch submit,
#               etl dynamo submit, job scheduler, job batch-stability, and the scheduled submitter);
# - execution:  what the ECS agent needs to start a container (image pull, logs, the job's secrets);
# - ecs_instance: the Batch EC2 instances (ECS agent);
# - redshift_copy: assumed by Redshift's COPY to read the staged files (data bucket only).

locals {
  bucket_arns = { for k, b in aws_s3_bucket.observes : k => b.arn }
  batch_arn   = "arn:${local.partition}:batch:${var.region}:${local.account_id}"
  table_arn   = "arn:${local.partition}:dynamodb:${var.region}:${local.account_id}:table/${var.dynamodb_table}"
  bills       = var.bills_s3_prefix == null ? null : { bucket = split("/", var.bills_s3_prefix)[0], prefix = trimsuffix(join("/", slice(split("/", var.bills_s3_prefix), 1, length(split("/", var.bills_s3_prefix)))), "/") }

  # Secret ARNs without a `:json-key:version-stage:version-id` suffix (the policy names the secret).
  secret_arns = distinct(concat(
    [for arn in values(var.secret_arns) : join(":", slice(split(":", arn), 0, 7))],
    var.registry_credentials_secret_arn == null ? [] : [var.registry_credentials_secret_arn],
    var.sops_age_key_secret_arn == null ? [] : [join(":", slice(split(":", var.sops_age_key_secret_arn), 0, 7))],
  ))

  # The secrets file, when it is an S3 object (s3://bucket/key).
  secrets_object = var.secrets_file == null ? null : try(regex("^s3://([^/]+)/(.+)$", var.secrets_file), null)

  # ECR repository of var.image when it is in ECR (<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@digest]).
  ecr_image          = try(regex("^([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/([^:@]+)", var.image), null)
  ecr_repository_arn = local.ecr_image == null ? null : "arn:${local.partition}:ecr:${local.ecr_image[1]}:${local.ecr_image[0]}:repository/${local.ecr_image[2]}"

  job_statements = concat(
    [
      {
        Sid      = "ReadPlatformTable"
        Effect   = "Allow"
        Action   = ["dynamodb:DescribeTable", "dynamodb:Scan"]
        Resource = [local.table_arn]
      },
      {
        # `observes etl dynamo export` (docs/dynamo.md): DynamoDB writes the export with the caller's
        # permissions, so the job needs the S3 actions AWS lists for exports on their prefix.
        Sid      = "ExportPlatformTable"
        Effect   = "Allow"
        Action   = ["dynamodb:ExportTableToPointInTime"]
        Resource = [local.table_arn]
      },
      {
        Sid      = "FollowPlatformTableExports"
        Effect   = "Allow"
        Action   = ["dynamodb:DescribeExport"]
        Resource = ["${local.table_arn}/export/*"]
      },
      {
        Sid      = "ListExports"
        Effect   = "Allow"
        Action   = ["dynamodb:ListExports"]
        Resource = ["*"]
      },
      {
        Sid      = "WriteTableExports"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:PutObjectAcl"]
        Resource = ["${local.bucket_arns["data"]}/dynamodb/exports/*"]
      },
      {
        Sid      = "ListBuckets"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = values(local.bucket_arns)
      },
      {
        Sid      = "ReadWriteObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
        Resource = [for arn in values(local.bucket_arns) : "${arn}/*"]
      },
    ],
    local.secrets_object == null ? [] : [
      {
        Sid      = "ReadSecretsFile"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["arn:${local.partition}:s3:::${local.secrets_object[0]}/${local.secrets_object[1]}"]
      },
    ],
    var.sops_kms_key_arn == null ? [] : [
      {
        Sid      = "OpenSecretsFile"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = [var.sops_kms_key_arn]
      },
    ],
    local.bills == null ? [] : [
      {
        Sid      = "WriteBills"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:AbortMultipartUpload"]
        Resource = ["arn:${local.partition}:s3:::${local.bills.bucket}/${local.bills.prefix}/*"]
      },
    ],
  )

  ecs_tasks_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# --- Job roles -------------------------------------------------------------------------------------

resource "aws_iam_role" "job" {
  name               = "observes-job"
  description        = "Observes jobs: read the platform table, read/write the Observes buckets."
  assume_role_policy = local.ecs_tasks_trust
  tags               = local.tags
}

resource "aws_iam_role_policy" "job" {
  name   = "observes-job"
  role   = aws_iam_role.job.id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.job_statements })
}

resource "aws_iam_role" "job_batch" {
  name               = "observes-job-batch"
  description        = "Observes jobs that submit or watch Batch jobs: the job role plus the Batch API."
  assume_role_policy = local.ecs_tasks_trust
  tags               = local.tags
}

resource "aws_iam_role_policy" "job_batch" {
  name = "observes-job-batch"
  role = aws_iam_role.job_batch.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.job_statements, [
      {
        Sid    = "SubmitObservesJobs"
        Effect = "Allow"
        Action = ["batch:SubmitJob"]
        Resource = concat(
          [for q in aws_batch_job_queue.observes : q.arn],
          ["${local.batch_arn}:job-definition/observes-*"],
        )
      },
      {
        # SubmitRequests tags every job (product, job, run): tag-on-create needs TagResource.
        Sid      = "TagSubmittedJobs"
        Effect   = "Allow"
        Action   = ["batch:TagResource"]
        Resource = ["${local.batch_arn}:job/*"]
      },
      {
        # ListJobs and DescribeJobs take no resource-level permissions.
        Sid      = "WatchJobs"
        Effect   = "Allow"
        Action   = ["batch:ListJobs", "batch:DescribeJobs"]
        Resource = ["*"]
      },
    ])
  })
}

# --- Execution role (ECS agent: image, logs, secrets) ---------------------------------------------

resource "aws_iam_role" "execution" {
  name               = "observes-execution"
  description        = "Starts Observes containers: pull the image, write logs, read the job secrets."
  assume_role_policy = local.ecs_tasks_trust
  tags               = local.tags
}

resource "aws_iam_role_policy" "execution" {
  name = "observes-execution"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "WriteLogs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = ["${aws_cloudwatch_log_group.jobs.arn}:log-stream:*"]
        },
      ],
      local.ecr_repository_arn == null ? [] : [
        {
          Sid      = "EcrLogin"
          Effect   = "Allow"
          Action   = ["ecr:GetAuthorizationToken"]
          Resource = ["*"]
        },
        {
          Sid      = "PullImage"
          Effect   = "Allow"
          Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
          Resource = [local.ecr_repository_arn]
        },
      ],
      length(local.secret_arns) == 0 ? [] : [
        {
          Sid      = "ReadJobSecrets"
          Effect   = "Allow"
          Action   = ["secretsmanager:GetSecretValue"]
          Resource = local.secret_arns
        },
      ],
      length(var.secrets_kms_key_arns) == 0 ? [] : [
        {
          Sid       = "DecryptJobSecrets"
          Effect    = "Allow"
          Action    = ["kms:Decrypt"]
          Resource  = var.secrets_kms_key_arns
          Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.${var.region}.amazonaws.com" } }
        },
      ],
    )
  })
}

# --- Batch EC2 instances (ECS container instances) -------------------------------------------------

resource "aws_iam_role" "ecs_instance" {
  name = "observes-batch-instance"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "ecs_instance" {
  role       = aws_iam_role.ecs_instance.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_instance_profile" "ecs_instance" {
  name = "observes-batch-instance"
  role = aws_iam_role.ecs_instance.name
  tags = local.tags
}

# --- Redshift COPY role ----------------------------------------------------------------------------

# Associate it with the Redshift cluster; the jobs pass it to COPY (OBSERVES_REDSHIFT_IAM_ROLE).
resource "aws_iam_role" "redshift_copy" {
  name        = "observes-redshift-copy"
  description = "Assumed by Redshift COPY to read the files Observes stages in the data bucket."
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "redshift.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "redshift_copy" {
  name = "observes-redshift-copy"
  role = aws_iam_role.redshift_copy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListDataBucket"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [aws_s3_bucket.observes["data"].arn]
      },
      {
        Sid      = "ReadStagedFiles"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${aws_s3_bucket.observes["data"].arn}/*"]
      },
    ]
  })
}

# --- EventBridge Scheduler -------------------------------------------------------------------------

resource "aws_iam_role" "scheduler" {
  name        = "observes-scheduler"
  description = "EventBridge Scheduler: submit the Observes submitter job."
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "scheduler" {
  name = "observes-scheduler"
  role = aws_iam_role.scheduler.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid    = "SubmitTheSubmitter"
      Effect = "Allow"
      Action = ["batch:SubmitJob"]
      Resource = [
        aws_batch_job_queue.observes["small"].arn,
        "${local.batch_arn}:job-definition/${local.submitter.batch_name}",
        "${local.batch_arn}:job-definition/${local.submitter.batch_name}:*",
      ]
    }]
  })
}
