package io.meshnode.resilience;

import io.meshnode.contract.MeshHeader;
import io.vertx.core.MultiMap;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The three headers of a successful reply as a small fixed map: the bus copies a reply's headers on local delivery
 * and encodes them for the wire by iterating {@link #entries()}, so building a general hash map per reply (sixteen
 * buckets, an entry per header, then copied) was ~17 % of what the node thread allocated per Redis GET. Reads are
 * answered from the three fields; the first write (tracing, an interceptor) turns it into an ordinary
 * case-insensitive map holding the same headers, so it behaves as the map it replaces.
 */
final class ReplyHeaderMap implements MultiMap {

  private final List<Map.Entry<String, String>> fixed;
  private MultiMap written;

  ReplyHeaderMap(String node, String source, String attempts) {
    this(entries(node, source, attempts));
  }

  /** A map over {@code fixed}, as built by {@link #entries} (immutable, so it may be shared between replies). */
  ReplyHeaderMap(List<Map.Entry<String, String>> fixed) {
    this.fixed = fixed;
  }

  /** The three headers, in the order the map lists them. */
  static List<Map.Entry<String, String>> entries(String node, String source, String attempts) {
    return List.of(Map.entry(MeshHeader.NODE, node), Map.entry(MeshHeader.SOURCE, source),
      Map.entry(MeshHeader.ATTEMPTS, attempts));
  }

  private MultiMap written() {
    if (written == null) {
      written = MultiMap.caseInsensitiveMultiMap();
      fixed.forEach(entry -> written.add(entry.getKey(), entry.getValue()));
    }
    return written;
  }

  private String fixedValue(CharSequence name) {
    for (Map.Entry<String, String> entry : fixed) {
      if (entry.getKey().equalsIgnoreCase(name.toString())) {
        return entry.getValue();
      }
    }
    return null;
  }

  @Override
  public String get(CharSequence name) {
    return written != null ? written.get(name) : fixedValue(name);
  }

  @Override
  public String get(String name) {
    return get((CharSequence) name);
  }

  @Override
  public List<String> getAll(String name) {
    return getAll((CharSequence) name);
  }

  @Override
  public List<String> getAll(CharSequence name) {
    if (written != null) {
      return written.getAll(name);
    }
    String value = fixedValue(name);
    return value == null ? List.of() : List.of(value);
  }

  @Override
  public List<Map.Entry<String, String>> entries() {
    return written != null ? written.entries() : fixed;
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    return entries().iterator();
  }

  @Override
  public boolean contains(String name) {
    return get(name) != null;
  }

  @Override
  public boolean contains(CharSequence name) {
    return get(name) != null;
  }

  @Override
  public boolean isEmpty() {
    return written != null && written.isEmpty();
  }

  @Override
  public Set<String> names() {
    return written().names();
  }

  @Override
  public int size() {
    return written != null ? written.size() : fixed.size();
  }

  @Override
  public boolean isMutable() {
    return true;
  }

  @Override
  public MultiMap copy(boolean mutable) {
    return written().copy(mutable);
  }

  @Override
  public MultiMap add(String name, String value) {
    written().add(name, value);
    return this;
  }

  @Override
  public MultiMap add(CharSequence name, CharSequence value) {
    written().add(name, value);
    return this;
  }

  @Override
  public MultiMap add(String name, Iterable<String> values) {
    written().add(name, values);
    return this;
  }

  @Override
  public MultiMap add(CharSequence name, Iterable<CharSequence> values) {
    written().add(name, values);
    return this;
  }

  @Override
  public MultiMap addAll(MultiMap map) {
    written().addAll(map);
    return this;
  }

  @Override
  public MultiMap addAll(Map<String, String> headers) {
    written().addAll(headers);
    return this;
  }

  @Override
  public MultiMap set(String name, String value) {
    written().set(name, value);
    return this;
  }

  @Override
  public MultiMap set(CharSequence name, CharSequence value) {
    written().set(name, value);
    return this;
  }

  @Override
  public MultiMap set(String name, Iterable<String> values) {
    written().set(name, values);
    return this;
  }

  @Override
  public MultiMap set(CharSequence name, Iterable<CharSequence> values) {
    written().set(name, values);
    return this;
  }

  @Override
  public MultiMap setAll(MultiMap map) {
    written().setAll(map);
    return this;
  }

  @Override
  public MultiMap setAll(Map<String, String> headers) {
    written().setAll(headers);
    return this;
  }

  @Override
  public MultiMap remove(String name) {
    written().remove(name);
    return this;
  }

  @Override
  public MultiMap remove(CharSequence name) {
    written().remove(name);
    return this;
  }

  @Override
  public MultiMap clear() {
    written().clear();
    return this;
  }

  @Override
  public String toString() {
    return entries().toString();
  }
}
