package io.observes.etl.dynamo;

import io.observes.demo.DemoStack;
import io.observes.demo.ExportStandIn;
import io.observes.etl.dynamo.DynamoIncrementalProcessesTest.KillPoint;
import io.observes.testing.HeldWrite;
import io.observes.testing.JobProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Kills the first attempt of incremental run {@code run} on {@code table} at a {@link KillPoint},
 * each one seen from outside the process: its lease object, the stand-in's DescribeExport calls, its
 * staging manifest in S3, its merge waiting for a lock the test holds, its state write held back by
 * {@link HeldWrite} after the merge committed.
 */
record KillAttempt(DemoStack stack, S3Client s3, ExportStandIn exports, HeldWrite s3Gate, String table, String run,
    Path logs) {
  void kill(KillPoint point, String name, Callable<Process> start) throws Exception {
    switch (point) {
      case LEASE_TAKEN -> JobProcess.in(logs).killWhen(start.call(), name, () -> written(DemoStack.STATE_BUCKET,
          "dynamodb." + table + "/run.lease"));
      case EXPORT_REQUESTED -> {
        int described = exports.describeCalls();
        JobProcess.in(logs).killWhen(start.call(), name, () -> exports.describeCalls() > described);
      }
      case STAGED -> JobProcess.in(logs).killWhen(start.call(), name, () -> written(DemoStack.DATA_BUCKET,
          DynamoEtl.INCREMENTAL + "/" + run + "/segment=0/manifest.json"));
      case MERGE_WAITING_FOR_A_LOCK -> {
        try (Connection lock = DriverManager.getConnection(stack.jdbcUrl());
            Connection poll = DriverManager.getConnection(stack.jdbcUrl())) {
          lock.setAutoCommit(false);
          try (Statement s = lock.createStatement()) {
            // The merge clears the rejected values of the rows it replaces inside its transaction: it waits here.
            s.execute("LOCK TABLE \"" + table + "\"._rejected IN SHARE MODE");
          }
          JobProcess.in(logs).killWhen(start.call(), name, () -> waiting(poll));
          lock.rollback();
        }
      }
      case MERGE_COMMITTED_STATE_NOT_WRITTEN -> {
        s3Gate.arm(Pattern.compile("PUT \\S*/dynamodb/state\\.json"));
        try {
          JobProcess.in(logs).killWhen(start.call(), name, s3Gate::holding);
        } finally {
          s3Gate.disarm();
        }
      }
    }
  }

  private boolean waiting(Connection poll) {
    try (Statement s = poll.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM pg_locks l JOIN "
        + "pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + table
        + "' AND c.relname = '_rejected' AND NOT l.granted")) {
      r.next();
      return r.getLong(1) > 0;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether the JSON document {@code key} is there whole. Killed as soon as s3proxy listed its lease,
   * a run left no lease behind: a listed object is no sign here that its PUT was done (S3 shows a PUT
   * whole or not at all), a readable whole document is.
   */
  private boolean written(String bucket, String key) {
    try {
      new com.fasterxml.jackson.databind.ObjectMapper().readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key))
          .asByteArray());
      return true;
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException | java.io.IOException e) {
      return false;
    }
  }

}
