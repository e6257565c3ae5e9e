package io.observes.cli;

import io.observes.etl.dynamo.DynamoEtl;

import io.observes.etl.dynamo.TableRouting;

/** Lets tests in other packages read what the CLI bundles. */
public final class TestAccess {
  private TestAccess() {}

  public static TableRouting bundledRouting() {
    return DynamoEtl.routing(null, "integrates_vms");
  }
}
