output "redshift_copy_role_arn" {
  description = "Role for Redshift COPY (associate it with the cluster); the jobs get it as OBSERVES_REDSHIFT_IAM_ROLE."
  value       = aws_iam_role.redshift_copy.arn
}

output "job_queues" {
  description = "Batch job queue ARN by size."
  value       = { for size, q in aws_batch_job_queue.observes : size => q.arn }
}

output "job_definitions" {
  description = "Batch job definition ARN (with revision) by catalogue job, plus the scheduled submitter."
  value = merge(
    { for name, d in aws_batch_job_definition.job : name => d.arn },
    { (local.submitter.batch_name) = aws_batch_job_definition.submitter.arn },
  )
}

output "schedules" {
  description = "Schedule expression (UTC) by catalogue job."
  value       = { for name, s in aws_scheduler_schedule.job : name => s.schedule_expression }
}

output "job_role_arn" {
  description = "Role of the jobs (platform table, buckets)."
  value       = aws_iam_role.job.arn
}

output "job_batch_role_arn" {
  description = "Role of the jobs that use the Batch API (submit, scheduler, batch-stability)."
  value       = aws_iam_role.job_batch.arn
}

output "execution_role_arn" {
  description = "Execution role of every job definition (image pull, logs, secrets)."
  value       = aws_iam_role.execution.arn
}

output "log_group" {
  description = "CloudWatch log group of every job (stream prefix = job name)."
  value       = aws_cloudwatch_log_group.jobs.name
}
