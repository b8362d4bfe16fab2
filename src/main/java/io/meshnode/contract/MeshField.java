package io.meshnode.contract;

/** JSON field names of the public request and reply bodies. */
public final class MeshField {

  public static final String TOPIC = "topic";
  public static final String KEY = "key";
  public static final String VALUE = "value";
  public static final String HEADERS = "headers";
  public static final String ID = "id";
  public static final String STATUS = "status";
  public static final String PARTITION = "partition";
  public static final String OFFSET = "offset";
  /** Of a consumed record: its Kafka timestamp, epoch milliseconds. */
  public static final String TIMESTAMP = "timestamp";
  public static final String QUERY = "query";
  public static final String PARAMS = "params";
  public static final String ROWS = "rows";
  public static final String ROW_COUNT = "rowCount";
  public static final String STALE = "stale";
  public static final String CACHED_AT = "cachedAt";
  public static final String TTL_SECONDS = "ttlSeconds";
  public static final String STORED = "stored";
  public static final String DELETED = "deleted";
  public static final String MEMORY_ONLY = "memoryOnly";

  /** {@code status} of a record the broker acknowledged. */
  public static final String STATUS_PUBLISHED = "published";
  /** {@code status} of a record written to the durable local queue, to be replayed to Kafka. */
  public static final String STATUS_QUEUED = "queued";

  private MeshField() {
  }
}
