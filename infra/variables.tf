variable "region" {
  description = "AWS region of the buckets and Batch resources."
  type        = string
  default     = "us-east-1"
}

variable "buckets" {
  description = "Bucket names: staged data, schema cache, differential state."
  type = object({
    data  = string
    cache = string
    state = string
  })
  default = {
    data  = "observes.etl-data"
    cache = "observes.cache"
    state = "observes.state"
  }
}

variable "staged_data_days" {
  description = "Days staged run data is kept; a run older than this cannot be reloaded."
  type        = number
  default     = 14
}

# --- AWS Batch -------------------------------------------------------------------------------------

variable "image" {
  description = "Container image of Observes (built from ../Dockerfile), e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/observes:<commit>. CI sets it as TF_VAR_image."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets of the Batch instances. Private subnets with a NAT gateway (or VPC endpoints for S3, DynamoDB, ECR, Logs, Secrets Manager, Batch) and a route to the warehouse: multi-node jobs use awsvpc networking and get no public IP."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the Batch instances (at most 5): outbound HTTPS and the warehouse port; nothing inbound is needed."
  type        = list(string)
}

variable "instance_types" {
  description = "EC2 instance types or families Batch may launch. Every family must fit a large job (4 vCPU, 15200 MiB)."
  type        = list(string)
  default     = ["m6i", "c6i", "r6i"]
}

variable "use_spot" {
  description = "Run on Spot Instances. Applies only to the sizes whose queue runs no multi-node job (AWS Batch does not run multi-node parallel jobs on Spot); those stay On-Demand."
  type        = bool
  default     = false
}

variable "spot_bid_percentage" {
  description = "Highest Spot price, in percent of the On-Demand price, when use_spot is set."
  type        = number
  default     = 100
}

variable "max_vcpus" {
  description = "Maximum vCPUs of each size's compute environment. A multi-node node takes a whole instance, so the small environment must hold one instance per node of dynamo-phase1/phase3 (240 nodes)."
  type        = map(number)
  default = {
    small  = 512
    medium = 64
    large  = 64
  }
  validation {
    condition     = alltrue([for s in ["small", "medium", "large"] : contains(keys(var.max_vcpus), s)])
    error_message = "max_vcpus needs the keys small, medium and large."
  }
}

variable "secret_arns" {
  description = "Secrets Manager secret ARN of each secret environment variable named in the catalogue's `secrets:` lists, e.g. { OBSERVES_WAREHOUSE_PASSWORD = \"arn:aws:secretsmanager:us-east-1:123456789012:secret:observes/warehouse-AbCdEf\" }. Names not here are read from the sops file var.secrets_file; a name in both comes from here."
  type        = map(string)
  default     = {}
  validation {
    condition     = alltrue([for arn in values(var.secret_arns) : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+", arn))])
    error_message = "secret_arns values must be Secrets Manager secret ARNs (arn:aws:secretsmanager:<region>:<account>:secret:<name>)."
  }
}

variable "secrets_file" {
  description = "Where the jobs read the sops-encrypted secrets (OBSERVES_SECRETS_FILE): an s3://bucket/key holding ../secrets.enc.yaml, or /app/secrets.enc.yaml when the image carries it. null: no file, and every secret a job names needs an ARN in secret_arns."
  type        = string
  default     = null
}

variable "sops_kms_key_arn" {
  description = "The KMS key the secrets file's data key is encrypted for (sops --kms); the job roles may kms:Decrypt with it. null when the file is opened with an age identity."
  type        = string
  default     = null
}

variable "sops_age_key_secret_arn" {
  description = "A Secrets Manager secret holding the age identity (AGE-SECRET-KEY-1...) that opens the secrets file, given to every job as SOPS_AGE_KEY. null when the file is opened with KMS."
  type        = string
  default     = null
}

variable "secrets_kms_key_arns" {
  description = "Customer-managed KMS keys the secrets are encrypted with (empty when they use the AWS-managed key)."
  type        = list(string)
  default     = []
}

variable "registry_credentials_secret_arn" {
  description = "Secrets Manager ARN of {\"username\", \"password\"} for a private registry outside ECR (e.g. a GitLab deploy token for registry.gitlab.com); null for ECR images."
  type        = string
  default     = null
}

variable "dynamodb_table" {
  description = "The platform's DynamoDB table the dynamo ETL reads (OBSERVES_DYNAMO_TABLE)."
  type        = string
  default     = "integrates_vms"
}

variable "bills_s3_prefix" {
  description = "bucket/prefix compute-bills writes its CSVs under (LEGACY.md section 7); null grants nothing."
  type        = string
  default     = "integrates/continuous-data/bills"
}

variable "warehouse_url" {
  description = "OBSERVES_WAREHOUSE_URL of every job, e.g. jdbc:redshift://host:5439/db; null leaves it unset."
  type        = string
  default     = null
}

variable "warehouse_user" {
  description = "OBSERVES_WAREHOUSE_USER of every job; null leaves it unset (the password is a secret: secret_arns)."
  type        = string
  default     = null
}

variable "common_environment" {
  description = "Extra environment variables of every job; a job's own `environment:` wins."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Days the jobs' CloudWatch logs are kept."
  type        = number
  default     = 90
}

variable "schedules_enabled" {
  description = "Whether the EventBridge schedules fire (false: created but DISABLED, e.g. in a staging account)."
  type        = bool
  default     = true
}
