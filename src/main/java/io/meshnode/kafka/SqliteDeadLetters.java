package io.meshnode.kafka;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The dead-letter table beside a {@link SqliteQueueStore}'s queue, in the same file and on the same connection, so
 * that a message moves between the two in one transaction (committed and fsynced like the queue's): it is always in
 * exactly one of them. Not thread-safe: only the queue's I/O thread calls it.
 */
final class SqliteDeadLetters {

  static final String TABLE = "dead_letters";
  static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
    + "seq INTEGER PRIMARY KEY, id TEXT NOT NULL, topic TEXT NOT NULL, msg_key TEXT, msg_value TEXT NOT NULL, "
    + "headers TEXT NOT NULL, enqueued_at INTEGER NOT NULL, reason TEXT NOT NULL, error TEXT, "
    + "attempts INTEGER NOT NULL, dead_at INTEGER NOT NULL)";
  private static final String COLUMNS = "seq, id, topic, msg_key, msg_value, headers, enqueued_at, reason, error, "
    + "attempts, dead_at";
  private static final String INSERT = "INSERT OR REPLACE INTO " + TABLE + " (" + COLUMNS + ") VALUES "
    + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String DELETE_QUEUED = "DELETE FROM " + SqliteQueueStore.TABLE + " WHERE seq = ?";
  private static final String LIST = "SELECT " + COLUMNS + " FROM " + TABLE + " ORDER BY seq LIMIT ?";
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ? ORDER BY seq";
  private static final String ALL = "SELECT " + COLUMNS + " FROM " + TABLE + " ORDER BY seq";
  private static final String DELETE_BY_SEQ = "DELETE FROM " + TABLE + " WHERE seq = ?";
  private static final String COUNT = "SELECT COUNT(*) FROM " + TABLE;

  private final Connection connection;
  private final SqliteQueueStore queue;

  SqliteDeadLetters(Connection connection, SqliteQueueStore queue) {
    this.connection = connection;
    this.queue = queue;
  }

  /** Moves the messages from the queue to this table in one transaction. */
  void bury(List<DeadLetter> letters) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT);
         PreparedStatement delete = connection.prepareStatement(DELETE_QUEUED)) {
      for (DeadLetter letter : letters) {
        QueuedMessage message = letter.message();
        SqliteQueueStore.bind(insert, message);
        insert.setString(8, letter.reason());
        insert.setString(9, letter.error());
        insert.setInt(10, letter.attempts());
        insert.setLong(11, letter.deadAtMillis());
        insert.addBatch();
        delete.setLong(1, message.seq());
        delete.addBatch();
      }
      insert.executeBatch();
      delete.executeBatch();
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }

  /** @return the dead letters, oldest first, at most {@code max} */
  List<DeadLetter> list(int max) throws SQLException {
    try (PreparedStatement list = connection.prepareStatement(LIST)) {
      list.setInt(1, max);
      return read(list);
    } finally {
      connection.commit();
    }
  }

  long count() throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(COUNT)) {
      return rows.next() ? rows.getLong(1) : 0;
    } finally {
      connection.commit();
    }
  }

  /**
   * Moves the dead letters with these message ids ({@code null}: all) back to the queue's end, numbered from
   * {@code firstSeq}, in one transaction.
   *
   * @return the messages requeued, as now stored
   */
  List<QueuedMessage> requeue(Collection<String> ids, long firstSeq) throws SQLException {
    try {
      List<DeadLetter> letters = select(ids);
      List<QueuedMessage> requeued = new ArrayList<>();
      for (DeadLetter letter : letters) {
        QueuedMessage message = letter.message();
        requeued.add(new QueuedMessage(firstSeq + requeued.size(), message.id(), message.topic(), message.key(),
          message.value(), message.headers(), message.enqueuedAtMillis()));
      }
      queue.insertUncommitted(requeued);
      delete(letters);
      connection.commit();
      return requeued;
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }

  /** Deletes the dead letters with these message ids ({@code null}: all); @return how many */
  int drop(Collection<String> ids) throws SQLException {
    try {
      List<DeadLetter> letters = select(ids);
      delete(letters);
      connection.commit();
      return letters.size();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }

  private List<DeadLetter> select(Collection<String> ids) throws SQLException {
    if (ids == null) {
      try (PreparedStatement all = connection.prepareStatement(ALL)) {
        return read(all);
      }
    }
    List<DeadLetter> letters = new ArrayList<>();
    try (PreparedStatement byId = connection.prepareStatement(BY_ID)) {
      for (String id : ids) {
        byId.setString(1, id);
        letters.addAll(read(byId));
      }
    }
    return letters;
  }

  private void delete(List<DeadLetter> letters) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(DELETE_BY_SEQ)) {
      for (DeadLetter letter : letters) {
        delete.setLong(1, letter.message().seq());
        delete.addBatch();
      }
      delete.executeBatch();
    }
  }

  private static List<DeadLetter> read(PreparedStatement query) throws SQLException {
    List<DeadLetter> letters = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        letters.add(new DeadLetter(SqliteQueueStore.message(rows), rows.getString(8), rows.getString(9),
          rows.getInt(10), rows.getLong(11)));
      }
    }
    return letters;
  }
}
