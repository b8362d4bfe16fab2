package io.meshnode.kafka;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * Options of a {@link DurableQueue}. Setters validate and name the bad value.
 *
 * <p>JSON form (see {@link #fromJson(JsonObject)}):
 * <pre>{ "path": "data/kafka-queue.db", "max_messages": 100000, "max_batch": 512 }</pre>
 */
public class DurableQueueOptions {

  /** Default database file, relative to the working directory: {@value}. */
  public static final String DEFAULT_PATH = "data/kafka-queue.db";

  /** Default capacity: {@value} messages; one more enqueue fails with {@link QueueFullException}. */
  public static final int DEFAULT_MAX_MESSAGES = 100_000;

  /** Default maximum number of messages written in one transaction (one fsync) by the group commit: {@value}. */
  public static final int DEFAULT_MAX_BATCH = 512;

  private String path = DEFAULT_PATH;
  private int maxMessages = DEFAULT_MAX_MESSAGES;
  private int maxBatch = DEFAULT_MAX_BATCH;

  /** Creates options with the defaults. */
  public DurableQueueOptions() {
  }

  /**
   * Copy constructor.
   *
   * @param other the options to copy
   */
  public DurableQueueOptions(DurableQueueOptions other) {
    this.path = other.path;
    this.maxMessages = other.maxMessages;
    this.maxBatch = other.maxBatch;
  }

  /**
   * Reads the keys {@code path}, {@code max_messages} and {@code max_batch}; a missing key keeps its default.
   *
   * @param json the configuration section
   * @return validated options
   * @throws IllegalArgumentException if a value is invalid
   */
  public static DurableQueueOptions fromJson(JsonObject json) {
    return new DurableQueueOptions()
      .setPath(json.getString("path", DEFAULT_PATH))
      .setMaxMessages(json.getInteger("max_messages", DEFAULT_MAX_MESSAGES))
      .setMaxBatch(json.getInteger("max_batch", DEFAULT_MAX_BATCH));
  }

  /** @return path of the SQLite database file */
  public String getPath() {
    return path;
  }

  /**
   * @param path path of the SQLite database file; missing parent directories are created on open
   * @return this
   */
  public DurableQueueOptions setPath(String path) {
    if (Objects.requireNonNull(path, "path").isBlank()) {
      throw new IllegalArgumentException("path must not be blank, was '" + path + "'");
    }
    this.path = path;
    return this;
  }

  /** @return the maximum number of messages the queue holds */
  public int getMaxMessages() {
    return maxMessages;
  }

  /**
   * @param maxMessages the maximum number of messages the queue holds, {@code > 0}
   * @return this
   */
  public DurableQueueOptions setMaxMessages(int maxMessages) {
    if (maxMessages <= 0) {
      throw new IllegalArgumentException("maxMessages must be > 0, was " + maxMessages);
    }
    this.maxMessages = maxMessages;
    return this;
  }

  /** @return the maximum number of messages committed in one transaction */
  public int getMaxBatch() {
    return maxBatch;
  }

  /**
   * @param maxBatch the maximum number of messages committed in one transaction, {@code > 0}
   * @return this
   */
  public DurableQueueOptions setMaxBatch(int maxBatch) {
    if (maxBatch <= 0) {
      throw new IllegalArgumentException("maxBatch must be > 0, was " + maxBatch);
    }
    this.maxBatch = maxBatch;
    return this;
  }
}
