package io.observes.warehouse;

import io.observes.config.UrlCredentials;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The driver, as the pool sees it, with the credentials taken out of every connection failure.
 * Drivers quote the URL they were given (and so the password in its user-info or parameters) in
 * what they throw, and the pool logs that before we see it: stripping it here, where connections
 * are made, is the one place that covers the pool's log, our error and the alert alike. The SQL
 * state and vendor code stay, so retries that look at them still work.
 */
final class StrippedDataSource implements DataSource {
  private final DataSource driver;
  private final WarehouseSettings settings;

  StrippedDataSource(DataSource driver, WarehouseSettings settings) {
    this.driver = driver;
    this.settings = settings;
  }

  @Override
  public Connection getConnection() throws SQLException {
    try {
      return driver.getConnection();
    } catch (SQLException e) {
      throw stripped(e, settings);
    } catch (RuntimeException e) {
      throw new WarehouseException(settings.redact(e.getMessage()), UrlCredentials.strip(e));
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    try {
      return driver.getConnection(username, password);
    } catch (SQLException e) {
      throw stripped(e, settings);
    } catch (RuntimeException e) {
      throw new WarehouseException(settings.redact(e.getMessage()), UrlCredentials.strip(e));
    }
  }

  /** {@code e} as the same kind of failure (SQL state, vendor code), its messages and causes stripped. */
  static SQLException stripped(SQLException e, WarehouseSettings settings) {
    SQLException copy = new SQLException(settings.redact(e.getMessage()), e.getSQLState(), e.getErrorCode(),
        UrlCredentials.strip(e.getCause()));
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return driver.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    driver.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    driver.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return driver.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return driver.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    return driver.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || driver.isWrapperFor(type);
  }
}
