package io.observes.warehouse.rehearsal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * A PostgreSQL {@link DataSource} that refuses what Amazon Redshift refuses, so that a rehearsal on
 * PostgreSQL fails where the real warehouse would. Every SQL text that reaches the database through
 * its connections (Statement execute/executeQuery/executeUpdate/executeLargeUpdate/addBatch,
 * prepareStatement and prepareCall at prepare time, nativeSQL) is first handed to the
 * {@link StatementCapture} and checked ({@link RedshiftStatementRules}; the rules and their
 * documentation pages are {@link RedshiftRule}). A statement Redshift would refuse throws an
 * {@link SQLException} with SQLState 0A000 and is not sent to PostgreSQL. Savepoints and generated
 * keys (which PostgreSQL's driver gets with RETURNING), which Redshift lacks, are refused likewise.
 *
 * <p>What PostgreSQL does run is the text as sent, except that PRIMARY KEY / UNIQUE / REFERENCES are
 * cut from CREATE TABLE (Redshift does not enforce them), and SET/RESET/SHOW of Redshift's own
 * parameters (query_group...) use a {@code redshift.} custom parameter instead.
 *
 * <p>Connections run at SERIALIZABLE isolation, as Redshift's SERIALIZABLE databases do
 * (https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation.html): the default of
 * provisioned clusters until May 2024, and still of the clusters created before; clusters created
 * since, and Serverless, default to SNAPSHOT ISOLATION, which conflicts less, so code that survives
 * the rehearsal survives both. Observes's concurrency stays usable at this level: conflicts come
 * back as SQLState 40001, which the clients retry (twelve nodes writing the run log at once, ten
 * heartbeats each, all succeed; about twice as slow as at READ COMMITTED).
 *
 * <p>The JDBC objects are {@link Proxy java.lang.reflect.Proxy} instances: Connection, Statement and
 * their kin have too many methods to delegate by hand. A library such as datasource-proxy was not
 * used because its listener callbacks ({@code QueryExecutionListener.beforeQuery}) declare no
 * checked exception, so a listener cannot refuse a statement with an SQLException.
 * {@code unwrap} and {@code isWrapperFor} reach the real objects, so
 * {@code connection.unwrap(PGConnection.class).getCopyAPI()} works (and COPY through it is not
 * checked).
 */
public final class RedshiftRules {
  private static final Set<String> EXECUTING = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
      "addBatch");

  private RedshiftRules() {}

  /** {@code postgres} refusing what Redshift refuses, each SQL text handed to {@code capture} first. */
  public static DataSource enforcing(DataSource postgres, StatementCapture capture) {
    Objects.requireNonNull(postgres, "postgres");
    Objects.requireNonNull(capture, "capture");
    return proxy(DataSource.class, postgres, (proxy, method, args) -> {
      Object result = invoke(postgres, method, args);
      if (result instanceof Connection c && method.getName().equals("getConnection")) {
        try {
          c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        } catch (SQLException | RuntimeException e) {
          c.close();
          throw e;
        }
        return connection(c, capture);
      }
      return result;
    });
  }

  private static Connection connection(Connection real, StatementCapture capture) {
    RedshiftStatementRules.Session session = new RedshiftStatementRules.Session() {
      @Override
      public boolean inTransactionBlock() throws SQLException {
        if (!real.getAutoCommit()) {
          return true;
        }
        return real.isWrapperFor(BaseConnection.class)
            && real.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE;
      }

      @Override
      public boolean autoCommit() throws SQLException {
        return real.getAutoCommit();
      }

      @Override
      public Connection connection() {
        return real;
      }
    };
    Connection[] self = new Connection[1];
    self[0] = proxy(Connection.class, real, (proxy, method, args) -> {
      String name = method.getName();
      if ((name.equals("prepareStatement") || name.equals("prepareCall") || name.equals("nativeSQL"))
          && args != null && args[0] instanceof String sql) {
        args[0] = checked(sql, session, capture);
        refuseGeneratedKeys(sql, args);
        Object result = invoke(real, method, args);
        return result instanceof CallableStatement cs ? statement(CallableStatement.class, cs, self[0], session, capture)
            : result instanceof PreparedStatement ps ? statement(PreparedStatement.class, ps, self[0], session, capture)
            : result;
      }
      if (name.equals("setSavepoint")) {
        throw RedshiftRule.SAVEPOINT.refuse("Connection.setSavepoint(" + (args == null ? "" : args[0]) + ")", null);
      }
      Object result = invoke(real, method, args);
      return name.equals("createStatement") ? statement(Statement.class, (Statement) result, self[0], session, capture)
          : result;
    });
    return self[0];
  }

  private static <S extends Statement> S statement(Class<S> type, S real, Connection connection,
      RedshiftStatementRules.Session session, StatementCapture capture) {
    return proxy(type, real, (proxy, method, args) -> {
      if (EXECUTING.contains(method.getName()) && args != null && args.length > 0 && args[0] instanceof String sql) {
        args[0] = checked(sql, session, capture);
        refuseGeneratedKeys(sql, args);
      } else if (method.getName().equals("getConnection")) {
        return connection;
      }
      return invoke(real, method, args);
    });
  }

  private static String checked(String sql, RedshiftStatementRules.Session session, StatementCapture capture)
      throws SQLException {
    capture.statement(sql);
    return RedshiftStatementRules.check(sql, session);
  }

  /**
   * Generated keys (RETURN_GENERATED_KEYS, or key columns by index or name): PostgreSQL's driver
   * appends RETURNING to the statement, which Redshift does not have.
   */
  private static void refuseGeneratedKeys(String sql, Object[] args) throws SQLException {
    if (args.length == 2 && (args[1] instanceof int[] || args[1] instanceof String[]
        || args[1] instanceof Integer keys && keys == Statement.RETURN_GENERATED_KEYS)) {
      throw RedshiftRule.RETURNING.refuse(sql, "generated keys");
    }
  }

  /** A proxy of {@code type} around {@code real}; equals, hashCode and toString are the proxy's own. */
  private static <T> T proxy(Class<T> type, Object real, InvocationHandler handler) {
    return type.cast(Proxy.newProxyInstance(RedshiftRules.class.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          boolean object = method.getDeclaringClass() == Object.class;
          return !object ? handler.invoke(proxy, method, args)
              : method.getName().equals("equals") ? proxy == args[0]
              : method.getName().equals("hashCode") ? System.identityHashCode(proxy)
              : "RedshiftRules(" + real + ")";
        }));
  }

  /** {@code method} on the real object, its own exception rethrown as is. */
  private static Object invoke(Object real, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(real, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
