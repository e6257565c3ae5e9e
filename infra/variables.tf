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
