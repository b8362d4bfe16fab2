package io.meshnode.kafka;

import io.vertx.core.json.JsonObject;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQLite table behind a {@link DurableQueue}, with its dead letters beside it ({@link SqliteDeadLetters}). Not thread-safe: only the queue's I/O thread calls it.
 *
 * <p>The database runs in WAL journal mode with {@code synchronous=FULL}, so every commit fsyncs the WAL before it
 * returns, and with {@code locking_mode=EXCLUSIVE}, so a second process or queue cannot open the same file while
 * this one holds it: {@link #open} then refuses with a message naming the file and the setting that gives each node its
 * own. The connection never auto-commits: each method ends its own transaction.
 */
final class SqliteQueueStore implements AutoCloseable {

  static final String TABLE = "queued_messages";
  private static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
    + "seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, topic TEXT NOT NULL, msg_key TEXT, "
    + "msg_value TEXT NOT NULL, headers TEXT NOT NULL, enqueued_at INTEGER NOT NULL)";
  private static final String INSERT = "INSERT INTO " + TABLE
    + " (seq, id, topic, msg_key, msg_value, headers, enqueued_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
  private static final String PEEK = "SELECT seq, id, topic, msg_key, msg_value, headers, enqueued_at FROM "
    + TABLE + " WHERE seq > ? ORDER BY seq LIMIT ?";
  private static final String DELETE = "DELETE FROM " + TABLE + " WHERE seq BETWEEN ? AND ?";
  private static final String HEAD = "SELECT seq, enqueued_at FROM " + TABLE + " ORDER BY seq LIMIT 1";
  private static final String COUNT = "SELECT COUNT(*) FROM " + TABLE;
  /** The bits of an extended SQLite result code that hold its primary code (SQLITE_BUSY_SNAPSHOT is SQLITE_BUSY). */
  private static final int PRIMARY_CODE_MASK = 0xFF;
  /** AUTOINCREMENT keeps the highest seq ever used here, even after every row was deleted. */
  private static final String LAST_SEQ = "SELECT seq FROM sqlite_sequence WHERE name = '" + TABLE + "'";

  private final Connection connection;
  private final PreparedStatement insert;
  private final PreparedStatement peek;
  private final PreparedStatement delete;
  private final SqliteDeadLetters deadLetters;

  private SqliteQueueStore(Connection connection) throws SQLException {
    this.connection = connection;
    this.insert = connection.prepareStatement(INSERT);
    this.peek = connection.prepareStatement(PEEK);
    this.delete = connection.prepareStatement(DELETE);
    this.deadLetters = new SqliteDeadLetters(connection, this);
  }

  /** The dead-letter table of the same file. */
  SqliteDeadLetters deadLetters() {
    return deadLetters;
  }

  static SqliteQueueStore open(Path file) throws IOException, SQLException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA locking_mode = EXCLUSIVE");
      try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
        if (!mode.next() || !"wal".equalsIgnoreCase(mode.getString(1))) {
          throw new SQLException("SQLite refused WAL journal mode for " + file);
        }
      }
      statement.execute("PRAGMA synchronous = FULL");
      connection.setAutoCommit(false);
      statement.execute(CREATE_TABLE);
      statement.execute(SqliteDeadLetters.CREATE_TABLE);
      connection.commit();
      return new SqliteQueueStore(connection);
    } catch (SQLException e) {
      connection.close();
      if (heldElsewhere(e)) {
        throw new IllegalStateException("durable queue file " + file.toAbsolutePath() + " is held by another node "
          + "(SQLite: " + ((SQLiteException) e).getResultCode().name() + "); give each node its own file with "
          + "MESH_KAFKA_QUEUE_PATH or kafka.queue_path", e);
      }
      throw e;
    }
  }

  /** Whether SQLite refused because another connection holds the file's lock: the SQLITE_BUSY or LOCKED family. */
  private static boolean heldElsewhere(SQLException e) {
    if (!(e instanceof SQLiteException sqlite)) {
      return false;
    }
    int primary = sqlite.getResultCode().code & PRIMARY_CODE_MASK;
    return primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code;
  }

  long count() throws SQLException {
    return queryLong(COUNT);
  }

  /** @return the highest seq ever stored in this file, {@code 0} if none */
  long lastSeq() throws SQLException {
    return queryLong(LAST_SEQ);
  }

  /** Inserts the messages in one transaction; returns once the commit is fsynced. */
  void insert(List<QueuedMessage> messages) throws SQLException {
    try {
      insertUncommitted(messages);
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }

  /** Inserts the messages in the current transaction, which the caller commits or rolls back. */
  void insertUncommitted(List<QueuedMessage> messages) throws SQLException {
    try {
      for (QueuedMessage message : messages) {
        bind(insert, message);
        insert.addBatch();
      }
      insert.executeBatch();
    } catch (SQLException e) {
      insert.clearBatch();
      throw e;
    }
  }

  /** @return the oldest stored message's seq and when it was accepted, or {@code null} when none is stored */
  QueueHead head() throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(HEAD)) {
      return rows.next() ? new QueueHead(rows.getLong(1), rows.getLong(2)) : null;
    } finally {
      connection.commit();
    }
  }

  /**
   * Deletes the messages with these seqs in one transaction, one range per run of consecutive seqs (a replay that
   * flows removes long runs); @return how many were deleted
   */
  int delete(List<Long> seqs) throws SQLException {
    try {
      long[] sorted = seqs.stream().mapToLong(Long::longValue).sorted().toArray();
      for (int from = 0; from < sorted.length; ) {
        int to = from;
        while (to + 1 < sorted.length && sorted[to + 1] == sorted[to] + 1) {
          to++;
        }
        delete.setLong(1, sorted[from]);
        delete.setLong(2, sorted[to]);
        delete.addBatch();
        from = to + 1;
      }
      int deleted = 0;
      for (int count : delete.executeBatch()) {
        deleted += Math.max(0, count);
      }
      connection.commit();
      return deleted;
    } catch (SQLException e) {
      delete.clearBatch();
      connection.rollback();
      throw e;
    }
  }

  /** @return up to {@code max} messages whose seq is {@code > afterSeq}, lowest seq first */
  List<QueuedMessage> peekAfter(long afterSeq, int max) throws SQLException {
    peek.setLong(1, afterSeq);
    peek.setInt(2, max);
    List<QueuedMessage> messages = new ArrayList<>();
    try (ResultSet rows = peek.executeQuery()) {
      while (rows.next()) {
        messages.add(message(rows));
      }
    } finally {
      connection.commit();
    }
    return messages;
  }

  /** Sets a message's seven columns (seq, id, topic, key, value, headers, enqueued_at) as parameters 1 to 7. */
  static void bind(PreparedStatement statement, QueuedMessage message) throws SQLException {
    statement.setLong(1, message.seq());
    statement.setString(2, message.id());
    statement.setString(3, message.topic());
    statement.setString(4, message.key());
    statement.setString(5, message.value());
    statement.setString(6, message.headers().encode());
    statement.setLong(7, message.enqueuedAtMillis());
  }

  /** The message in the first seven columns of the current row, in {@link #bind}'s order. */
  static QueuedMessage message(ResultSet rows) throws SQLException {
    return new QueuedMessage(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
      rows.getString(5), new JsonObject(rows.getString(6)), rows.getLong(7));
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }

  private long queryLong(String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getLong(1) : 0;
    } finally {
      connection.commit();
    }
  }
}
