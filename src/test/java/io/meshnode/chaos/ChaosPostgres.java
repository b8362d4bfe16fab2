package io.meshnode.chaos;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

/**
 * The chaos suite's own PostgreSQL database and role ({@value #NAME} / {@value #NAME}) on the machine's server, and the
 * faults it can apply there without touching the server: terminating the node's sessions
 * ({@code pg_terminate_backend} by {@code application_name}) and slowing every statement on {@code mesh_events} with
 * an {@code ACCESS EXCLUSIVE} lock held by a session of the test's own.
 */
final class ChaosPostgres {

  /** Database and role name. */
  static final String NAME = "mesh_chaos";
  static final int PORT = 5432;

  private final Pool admin;
  private final Pool owner;
  private SqlConnection lockHolder;

  private ChaosPostgres(Vertx vertx) {
    admin = PgBuilder.pool().connectingTo(options("test", "postgres")).using(vertx).build();
    owner = PgBuilder.pool().connectingTo(options(NAME, NAME)).using(vertx).build();
  }

  private static PgConnectOptions options(String database, String user) {
    return new PgConnectOptions().setHost("127.0.0.1").setPort(PORT).setDatabase(database).setUser(user)
      .addProperty("application_name", "mesh-chaos-admin");
  }

  /** Creates the role and database when missing and applies {@code schema} (the node's, idempotent) as the role. */
  static Future<ChaosPostgres> prepare(Vertx vertx, JsonArray schema) {
    Pool admin = PgBuilder.pool().connectingTo(options("test", "postgres")).using(vertx).build();
    return createIfMissing(admin, "SELECT 1 FROM pg_roles WHERE rolname = '" + NAME + "'",
        "CREATE ROLE " + NAME + " LOGIN")
      .compose(v -> createIfMissing(admin, "SELECT 1 FROM pg_database WHERE datname = '" + NAME + "'",
        "CREATE DATABASE " + NAME + " OWNER " + NAME))
      .eventually(admin::close)
      .map(v -> new ChaosPostgres(vertx))
      .compose(pg -> {
        Future<Void> chain = Future.succeededFuture();
        for (Object ddl : schema) {
          chain = chain.compose(v -> pg.owner.query((String) ddl).execute().mapEmpty());
        }
        return chain.map(pg);
      })
      .recover(failure -> Future.failedFuture(new IllegalStateException("cannot prepare the chaos database "
        + NAME + " on PostgreSQL 127.0.0.1:" + PORT + " (needs user postgres with trust auth): " + failure, failure)));
  }

  private static Future<Void> createIfMissing(Pool admin, String exists, String create) {
    return admin.query(exists).execute()
      .compose(rows -> rows.size() > 0 ? Future.succeededFuture() : admin.query(create).execute().mapEmpty());
  }

  /** Terminates every session whose application_name is {@code applicationName}; the number terminated. */
  Future<Integer> terminate(String applicationName) {
    return admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
      + applicationName + "'").execute().map(rows -> rows.rowCount());
  }

  /** Takes an ACCESS EXCLUSIVE lock on mesh_events in an open transaction: every statement on it waits. */
  Future<Void> lockEvents() {
    return owner.getConnection().compose(connection -> {
      lockHolder = connection;
      return connection.query("BEGIN").execute()
        .compose(v -> connection.query("LOCK TABLE mesh_events IN ACCESS EXCLUSIVE MODE").execute()).mapEmpty();
    });
  }

  /** Ends the lock's transaction, if one is held: the waiting statements run. */
  Future<Void> unlockEvents() {
    SqlConnection connection = lockHolder;
    lockHolder = null;
    if (connection == null) {
      return Future.succeededFuture();
    }
    return connection.query("COMMIT").execute().eventually(connection::close).mapEmpty();
  }

  Future<Void> close() {
    return admin.close().eventually(owner::close);
  }
}
