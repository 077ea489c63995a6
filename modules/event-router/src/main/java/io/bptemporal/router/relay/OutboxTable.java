package io.bptemporal.router.relay;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The shape of one outbox table as the relay reads it by SQL (it never links the owning worker's
 * code): which column is the id, which the published marker, what the record key is, and how a row
 * becomes an envelope. The relay claims with
 *
 * <pre>
 * select &lt;id&gt; as row_id, &lt;key&gt; as row_key, &lt;columns&gt; from &lt;table&gt;
 *  where &lt;marker&gt; is null and not (&lt;key&gt; = any(held keys))
 *  order by created_at, &lt;id&gt; limit n for update
 * </pre>
 *
 * and marks with {@code update <table> set <marker> = now() where <id> = any(ids)}: exactly the
 * privileges the owner grants (SELECT on the table, UPDATE of the marker column).
 */
public interface OutboxTable {
  String table();

  String idColumn();

  /** The column set when the row was published ({@code published_at}, {@code delivered_at}). */
  String markerColumn();

  /** SQL of the record key: the subject, else the id. */
  String keySql();

  /** The further columns {@link #read} needs, as a select list. */
  String columns();

  /** The row under the cursor (its {@code row_id} and {@code row_key} already read). */
  OutboxRow read(String rowId, String key, ResultSet row) throws SQLException;
}
