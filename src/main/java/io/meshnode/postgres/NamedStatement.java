package io.meshnode.postgres;

/**
 * A statement declared in conf: callers name it, never send SQL.
 *
 * @param name       the name callers send as {@code query}
 * @param sql        the SQL with {@code $1..$n} placeholders; parameters are always bound
 * @param write      true for statements that change data (they have no cached-result fallback)
 * @param paramCount the highest placeholder number: exactly this many parameters must be sent
 */
public record NamedStatement(String name, String sql, boolean write, int paramCount) {
}
