package io.bptemporal.pipeline.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.pipeline.PipelineSetupException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * A PostgreSQL query read with a <b>keyset cursor</b> on the pipeline's natural key: each batch is
 * {@code SELECT … WHERE (key) > (last key of the previous batch) ORDER BY key LIMIT n}, so a batch
 * costs the same at the end of a large table as at its start (with an index on the key), and a
 * resumed load continues right after its checkpointed key instead of skipping rows with OFFSET.
 * Source order is the natural-key order, whatever ORDER BY the query itself has; only a partition's
 * first row is found by OFFSET, once.
 *
 * <p>That needs the natural key to identify a row of the query: present in its columns, never NULL
 * and unique. {@link #count()} (run when the pipeline is planned) checks all three and refuses the
 * source otherwise, since a keyset would silently skip rows with a NULL or repeated key.
 */
public final class PostgresQuerySource implements Source {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_ALIAS = "bp_key_";

  private final DataSource database;
  private final String query;
  private final List<String> naturalKey;
  private final String description;

  public PostgresQuerySource(
      DataSource database, String query, List<String> naturalKey, String where) {
    this.database = database;
    this.query = stripTerminator(query);
    this.naturalKey = List.copyOf(naturalKey);
    this.description = "POSTGRES query on " + where;
  }

  private static String stripTerminator(String sql) {
    String trimmed = sql.strip();
    while (trimmed.endsWith(";")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
    }
    return trimmed;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public long count() {
    try (Connection c = database.getConnection()) {
      keyTypes(c);
      String key = keyList("");
      StringJoiner anyNull = new StringJoiner(" or ");
      naturalKey.forEach(k -> anyNull.add(quote(k) + " is null"));
      String sql =
          "select count(*), count(distinct ("
              + key
              + ")), count(*) filter (where "
              + anyNull
              + ") from ("
              + query
              + ") as bp_source";
      try (PreparedStatement ps = c.prepareStatement(sql);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        long total = rs.getLong(1);
        long distinct = rs.getLong(2);
        long nullKeys = rs.getLong(3);
        if (nullKeys > 0) {
          throw new PipelineSetupException(
              description
                  + ": "
                  + nullKeys
                  + " row(s) have a NULL in the natural key "
                  + naturalKey
                  + "; accepted: a query whose natural key columns are never NULL (filter them out or"
                  + " coalesce them in the SELECT)");
        }
        if (distinct != total) {
          throw new PipelineSetupException(
              description
                  + ": the natural key "
                  + naturalKey
                  + " repeats ("
                  + total
                  + " rows, "
                  + distinct
                  + " distinct keys); accepted: a query returning each key once (e.g. SELECT DISTINCT"
                  + " ON ("
                  + key
                  + ") … ORDER BY "
                  + key
                  + ", <newest first>)");
        }
        return total;
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  @Override
  public RecordReader open(long offset, Optional<JsonNode> cursor) {
    try (Connection c = database.getConnection()) {
      List<String> types = keyTypes(c);
      Optional<List<String>> after = cursor.flatMap(PostgresQuerySource::keyOf);
      if (after.isEmpty() && offset > 0) {
        // A partition's first row: the key of the row before it, found by OFFSET once per
        // partition.
        String sql =
            "select "
                + keyAsText()
                + " from ("
                + query
                + ") as bp_source order by "
                + keyList("")
                + " offset ? limit 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setLong(1, offset - 1);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              List<String> key = new ArrayList<>();
              for (int i = 1; i <= naturalKey.size(); i++) {
                key.add(rs.getString(i));
              }
              after = Optional.of(key);
            } else {
              return new Reader(types, offset, Optional.empty(), true);
            }
          }
        }
      }
      return new Reader(types, offset, after, false);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  @Override
  public void close() {}

  /**
   * The SQL types of the key columns (for casting cursor values back); refuses a query lacking one.
   */
  private List<String> keyTypes(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("select * from (" + query + ") as bp_source limit 0");
        ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData meta = rs.getMetaData();
      Map<String, String> columns = new LinkedHashMap<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.put(meta.getColumnLabel(i), meta.getColumnTypeName(i));
      }
      List<String> missing = naturalKey.stream().filter(k -> !columns.containsKey(k)).toList();
      if (!missing.isEmpty()) {
        throw new PipelineSetupException(
            description
                + ": the query returns no column "
                + missing
                + " of the natural"
                + " key; it returns "
                + columns.keySet()
                + "; accepted: a query returning every natural key column under"
                + " its target name (alias it: SELECT id AS customer_id …)");
      }
      return naturalKey.stream().map(columns::get).toList();
    }
  }

  private String keyList(String prefix) {
    StringJoiner list = new StringJoiner(", ");
    naturalKey.forEach(k -> list.add(prefix + quote(k)));
    return list.toString();
  }

  private String keyAsText() {
    StringJoiner list = new StringJoiner(", ");
    for (int i = 0; i < naturalKey.size(); i++) {
      list.add(quote(naturalKey.get(i)) + "::text as " + KEY_ALIAS + i);
    }
    return list.toString();
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static Optional<List<String>> keyOf(JsonNode cursor) {
    JsonNode key = cursor.path("key");
    if (!key.isArray()) {
      return Optional.empty();
    }
    List<String> values = new ArrayList<>();
    key.forEach(v -> values.add(v.asText()));
    return Optional.of(values);
  }

  private RuntimeException translate(SQLException e) {
    String state = Optional.ofNullable(e.getSQLState()).orElse("");
    // Classes 42 (syntax, unknown table/column, permission), 3F (schema), 3D (database), 22 (data
    // error in the
    // query), 28 (authorization), 0A (unsupported): the query or its database is wrong, a retry
    // reads the same.
    if (state.startsWith("42")
        || state.startsWith("3F")
        || state.startsWith("3D")
        || state.startsWith("22")
        || state.startsWith("28")
        || state.startsWith("0A")) {
      return new PipelineSetupException(
          description + " fails: " + e.getMessage() + " (SQLSTATE " + state + ")", e);
    }
    return new IllegalStateException(
        description + " fails: " + e.getMessage() + " (SQLSTATE " + state + "; retried)", e);
  }

  private final class Reader implements RecordReader {
    private final List<String> types;
    private long next;
    private Optional<List<String>> after;
    private boolean exhausted;

    Reader(List<String> types, long next, Optional<List<String>> after, boolean exhausted) {
      this.types = types;
      this.next = next;
      this.after = after;
      this.exhausted = exhausted;
    }

    @Override
    public List<SourceRecord> read(int max) {
      if (exhausted || max <= 0) {
        return List.of();
      }
      StringBuilder sql =
          new StringBuilder("select bp_source.*, ")
              .append(keyAsText())
              .append(" from (")
              .append(query)
              .append(") as bp_source");
      if (after.isPresent()) {
        StringJoiner params = new StringJoiner(", ");
        types.forEach(t -> params.add("?::" + t));
        sql.append(" where (").append(keyList("")).append(") > (").append(params).append(')');
      }
      sql.append(" order by ").append(keyList("")).append(" limit ?");
      try (Connection c = database.getConnection();
          PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int p = 1;
        if (after.isPresent()) {
          for (String value : after.get()) {
            ps.setString(p++, value);
          }
        }
        ps.setInt(p, max);
        ps.setFetchSize(Math.min(max, 5_000));
        List<SourceRecord> records = new ArrayList<>(max);
        try (ResultSet rs = ps.executeQuery()) {
          ResultSetMetaData meta = rs.getMetaData();
          int columns = meta.getColumnCount() - naturalKey.size();
          List<String> lastKey = List.of();
          while (rs.next()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int i = 1; i <= columns; i++) {
              fields.put(meta.getColumnLabel(i), value(rs, i, meta.getColumnTypeName(i)));
            }
            List<String> key = new ArrayList<>(naturalKey.size());
            for (int i = 0; i < naturalKey.size(); i++) {
              key.add(rs.getString(columns + 1 + i));
            }
            lastKey = key;
            records.add(
                SourceRecord.parsed(
                    next,
                    "row (" + String.join(", ", naturalKey) + ")=(" + String.join(", ", key) + ")",
                    FieldValues.toJson(fields).toString(),
                    fields));
            next++;
          }
          if (records.size() < max) {
            exhausted = true;
          }
          if (!lastKey.isEmpty()) {
            after = Optional.of(lastKey);
          }
        }
        return records;
      } catch (SQLException e) {
        throw translate(e);
      }
    }

    @Override
    public Optional<JsonNode> cursor() {
      return after.map(
          key -> {
            ObjectNode cursor = JsonNodeFactory.instance.objectNode();
            ArrayNode values = cursor.putArray("key");
            key.forEach(values::add);
            return cursor;
          });
    }

    @Override
    public void close() {}
  }

  private static Object value(ResultSet rs, int column, String type) throws SQLException {
    Object value =
        switch (type.toLowerCase(Locale.ROOT)) {
          case "int2", "int4", "int8", "oid" -> rs.getLong(column);
          case "numeric", "float4", "float8" -> rs.getBigDecimal(column);
          case "bool" -> rs.getBoolean(column);
          case "date" -> rs.getObject(column, LocalDate.class);
          case "timestamp" -> rs.getObject(column, LocalDateTime.class);
          case "timestamptz" -> rs.getObject(column, OffsetDateTime.class);
          case "json", "jsonb" -> json(rs.getString(column));
          default -> rs.getString(column);
        };
    return rs.wasNull() ? null : value;
  }

  private static Object json(String text) {
    if (text == null) {
      return null;
    }
    try {
      return FieldValues.fromJson(JSON.readTree(text));
    } catch (JsonProcessingException e) {
      return text;
    }
  }
}
