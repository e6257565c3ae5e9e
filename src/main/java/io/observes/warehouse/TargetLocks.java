package io.observes.warehouse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One lock per staging schema (so per target), an empty table in {@code observes_meta}: its
 * preparation, its loads, and its swap or merge take it FIRST in their transactions, before any
 * table of the staging or target schema, so the lock order is the same everywhere and two
 * transactions of one target never wait on each other in a cycle. Loads of different targets never
 * share a lock: on Redshift, whose LOCK has one (exclusive) mode, a cluster-wide lock would have run
 * every load of every ETL one at a time.
 *
 * <p>Redshift documents "lock tables in the same order in every transaction" against deadlocks
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_LOCK.html). The lock table is created, when
 * missing, in a transaction of its own before the one that takes it.
 */
public final class TargetLocks {
  static final String PREFIX = "lock_";
  /** SQL states of "it exists already": a concurrent CREATE ... IF NOT EXISTS can still raise them. */
  private static final Set<String> ALREADY_EXISTS = Set.of("23505", "42P06", "42P07");

  private final BaseWarehouseClient sql;
  private final Set<String> ready = ConcurrentHashMap.newKeySet();

  TargetLocks(BaseWarehouseClient sql) {
    this.sql = sql;
  }

  /** The name of {@code staging}'s lock table: the schema's name when it fits, else its digest. */
  public static String name(String staging, Dialect dialect) {
    String plain = PREFIX + staging;
    if (Utf8Text.bytes(plain) <= dialect.maxIdentifierBytes()) {
      return plain;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(staging.getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(digest, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** {@code staging}'s lock table, qualified and created when missing: take it first in the transaction. */
  String ensure(String staging) {
    String table = name(staging, sql.dialect());
    String qualified = sql.qualified(BaseWarehouseClient.META_SCHEMA, table);
    if (ready.contains(table)) {
      return qualified;
    }
    // Every node of a phase may create it at the same moment: the loser finds it made.
    for (int attempt = 1; ; attempt++) {
      try {
        sql.inTransaction("creating the lock of " + staging, c -> {
          sql.execute(c, "CREATE SCHEMA IF NOT EXISTS " + sql.quoted(BaseWarehouseClient.META_SCHEMA));
          sql.execute(c, "CREATE TABLE IF NOT EXISTS " + qualified + " (" + sql.columnDefinitions("held_by", "VARCHAR(128)")
              + ")");
          return null;
        });
        ready.add(table);
        return qualified;
      } catch (WarehouseException e) {
        if (attempt == 3 || !(e.getCause() instanceof SQLException s) || !ALREADY_EXISTS.contains(s.getSQLState())) {
          throw e;
        }
      }
    }
  }
}
