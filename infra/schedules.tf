# One EventBridge Scheduler schedule per catalogue job with a `schedule:` (AWS cron, UTC).
#
# A schedule does not submit the job itself: it submits the small submitter job running
# `observes batch submit <job>`, the same code as the CLI, so a scheduled run gets what a hand-made
# one gets: a run id (OBSERVES_RUN_ID; the dynamo phases refuse to run without one), its dependents
# chained with dependsOn (dynamo-phase1 -> phase2 -> phase3 -> phase4) and no second copy of a job
# that is still active. The submitter's job name is `observes-submit-<job>`, never `observes-<job>`,
# which the duplicate check would take for the job itself.

locals {
  schedules = { for name, job in local.jobs : name => job if job.schedule != null }
}

resource "aws_scheduler_schedule_group" "observes" {
  name = "observes"
  tags = local.tags
}

resource "aws_scheduler_schedule" "job" {
  for_each    = local.schedules
  name        = "observes-${each.key}"
  group_name  = aws_scheduler_schedule_group.observes.name
  description = "observes batch submit ${each.key} (etl-jobs/${each.value.file})"
  state       = var.schedules_enabled ? "ENABLED" : "DISABLED"

  schedule_expression          = each.value.schedule
  schedule_expression_timezone = "UTC"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = "arn:aws:scheduler:::aws-sdk:batch:submitJob"
    role_arn = aws_iam_role.scheduler.arn
    input = jsonencode({
      JobName       = "observes-submit-${each.key}"
      JobQueue      = aws_batch_job_queue.observes["small"].arn
      JobDefinition = aws_batch_job_definition.submitter.arn
      ContainerOverrides = {
        Command = ["batch", "submit", each.key]
      }
    })

    retry_policy {
      maximum_event_age_in_seconds = 3600
      maximum_retry_attempts       = 5
    }
  }

  lifecycle {
    precondition {
      condition     = can(regex("^cron\\(.+\\)$|^rate\\(.+\\)$", each.value.schedule))
      error_message = "etl-jobs/${each.value.file}: schedule must be an AWS cron(...) or rate(...) expression, was '${each.value.schedule}'."
    }
  }

  # The submitter job must be able to submit the chain before the first schedule fires.
  depends_on = [aws_iam_role_policy.scheduler, aws_iam_role_policy.job_batch]
}
