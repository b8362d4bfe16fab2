package io.meshnode.postgres;

import io.meshnode.contract.InternalBackend;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.meshnode.resilience.BlamedFailures;
import io.meshnode.resilience.DependencyProbe;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Owns the PostgreSQL client and {@link MeshAddress#INTERNAL_PG_QUERY} (an {@link InternalBackend}): runs only the
 * named statements of conf, with their parameters bound. The client is vertx-pg-client's pipelined pool
 * ({@code PgBuilder.client()}): up to {@code pool_size} connections, each carrying up to {@code pipelining_limit}
 * statements at once (1: one at a time, a plain pool), which the node can use since it runs single statements, never
 * a transaction. A {@link StatementGate} hands it at most as many statements as its connections pipeline and holds
 * the rest, failing those that waited past {@code connection_timeout_ms}. Parameters are bound to the statement's
 * types first ({@link StatementParameters}: a value that does not fit is 400); a failure is answered with the code of
 * its {@link PostgresFailures blame} (400 for the data sent, 500 for the node's statements or credentials, logged,
 * 503 for the rest, which the resilience layer retries, counts and falls back on). With
 * {@code init_schema: true} it runs {@code postgres.schema} at start, and again every few seconds until it succeeds,
 * without holding up start when PostgreSQL is down.
 */
public final class PostgresVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresVerticle.class);
  private static final long SCHEMA_RETRY_MILLIS = 5_000;
  /** A statement held past {@code connection_timeout_ms} fails at the latest a tenth of it later. */
  private static final int EXPIRY_SWEEPS_PER_WAIT = 10;

  private StatementCatalog statements;
  private SqlClient client;
  private final BlamedFailures failures =
    new BlamedFailures("postgresql", "postgres.statements, the postgres section and the role's privileges");
  private StatementGate gate;
  private StatementParameters parameters;
  private long expiryTimer = -1;

  @Override
  public Future<?> start() {
    JsonObject config = config().getJsonObject("postgres", new JsonObject());
    statements = StatementCatalog.fromJson(config);
    client = PgBuilder.client()
      .with(PostgresSettings.poolOptions(config))
      .connectingTo(PostgresSettings.connectOptions(config))
      .using(vertx)
      .build();
    parameters = new StatementParameters(client);
    int maxWaitMillis = PostgresSettings.connectionTimeoutMillis(config);
    gate = new StatementGate(PostgresSettings.statementsInFlight(config), PostgresSettings.maxWaiting(config),
      maxWaitMillis, System::nanoTime);
    expiryTimer = vertx.setPeriodic(Math.max(10, maxWaitMillis / EXPIRY_SWEEPS_PER_WAIT), id -> gate.expire());
    // the pool no longer times out a wait for a connection (StatementGate does, for statements): bound the probe here
    DependencyProbe.start(vertx, "postgres", DependencyProbe.intervalMillis(config, "postgres"),
      () -> client.query("SELECT 1").execute().timeout(maxWaitMillis, TimeUnit.MILLISECONDS));
    if (config.getBoolean("init_schema", false)) {
      initSchema();
    }
    return InternalBackend.register(vertx, context, MeshAddress.INTERNAL_PG_QUERY, this::query);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(expiryTimer);
    gate.close("postgresql: the node is stopping");
    return client.close();
  }

  private Future<JsonObject> query(JsonObject request) {
    String name = request.getString(MeshField.QUERY);
    NamedStatement statement = statements.find(name);
    if (statement == null) {
      return Future.failedFuture(MeshFailure.of(MeshFailure.NOT_FOUND, "unknown named query: " + name));
    }
    Tuple values;
    try {
      values = parameters.bindIfKnown(statement, request.getJsonArray(MeshField.PARAMS));
    } catch (ReplyException refused) {
      return Future.failedFuture(refused);
    }
    if (values == null) {
      Future<Void> described = gate.admit() ? describe(statement)
        : gate.turn().compose(place -> describe(statement));
      return described.transform(ar -> ar.failed() ? Future.failedFuture(ar.cause() instanceof ReplyException coded
        ? coded : failure(name, ar.cause())) : query(request));
    }
    if (gate.admit()) {
      return execute(name, statement, values);
    }
    return gate.turn().compose(place -> execute(name, statement, values));
  }

  /** Learns a statement's parameter types, holding a place of the gate as any statement does. */
  private Future<Void> describe(NamedStatement statement) {
    return parameters.describe(statement).andThen(ar -> gate.done());
  }

  /** Runs a statement that holds a place of the gate, and gives the place back once it completed. */
  private Future<JsonObject> execute(String name, NamedStatement statement, Tuple values) {
    Future<RowSet<Row>> rows;
    try {
      rows = client.preparedQuery(statement.sql()).execute(values);
    } catch (RuntimeException e) {
      rows = Future.failedFuture(e);
    }
    return rows.transform(ar -> {
      gate.done();
      if (ar.succeeded()) {
        return Future.succeededFuture(toReply(ar.result()));
      }
      return Future.failedFuture(failure(name, ar.cause()));
    });
  }

  /** The failure coded by whose fault it is. */
  private ReplyException failure(String name, Throwable cause) {
    return failures.coded(PostgresFailures.blame(cause), "postgresql: " + name, cause);
  }

  private static JsonObject toReply(RowSet<Row> rows) {
    JsonArray out = new JsonArray();
    rows.forEach(row -> out.add(row.toJson()));
    return new JsonObject().put(MeshField.ROWS, out).put(MeshField.ROW_COUNT, rows.rowCount())
      .put(MeshField.STALE, false);
  }

  private void initSchema() {
    Future<Void> chain = Future.succeededFuture();
    for (String ddl : statements.schema()) {
      chain = chain.compose(v -> client.query(ddl).execute().mapEmpty());
    }
    chain.onSuccess(v -> LOG.info("postgres schema ready ({} statement(s))", statements.schema().size()))
      .onFailure(failure -> {
        LOG.warn("postgres schema not applied, retrying in {} ms: {}", SCHEMA_RETRY_MILLIS, failure.getMessage());
        vertx.setTimer(SCHEMA_RETRY_MILLIS, id -> initSchema());
      });
  }
}
