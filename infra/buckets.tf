locals {
  buckets = {
    data  = var.buckets.data
    cache = var.buckets.cache
    state = var.buckets.state
  }
}

resource "aws_s3_bucket" "observes" {
  for_each = local.buckets
  bucket   = each.value
  tags     = { product = "observes", purpose = each.key }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "observes" {
  for_each = aws_s3_bucket.observes
  bucket   = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "observes" {
  for_each                = aws_s3_bucket.observes
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# State must survive a bad write: keep previous versions.
resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.observes["state"].id
  versioning_configuration {
    status = "Enabled"
  }
}

# Staged runs are only needed until they are published (and a few days to investigate or reload).
resource "aws_s3_bucket_lifecycle_configuration" "data" {
  bucket = aws_s3_bucket.observes["data"].id
  rule {
    id     = "expire-staged-runs"
    status = "Enabled"
    filter {}
    expiration {
      days = var.staged_data_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }
}
