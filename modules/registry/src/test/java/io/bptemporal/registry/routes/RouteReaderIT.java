package io.bptemporal.registry.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.registry.store.RegistryGrants;
import io.bptemporal.registry.store.RegistrySchema;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The event routes on the dev stack's real PostgreSQL: migrated by the registry's V2, read through
 * {@link RouteReader} by a reader role granted like REGISTRY_READER_ROLES (which cannot write
 * them), broken rows stored and reported, and every change announced on {@code
 * bp_event_routes_changed} to a listener on the reader role's own connection.
 */
@ExtendWith(DevStackExtension.class)
class RouteReaderIT {
  private static final String DATABASE = "registry_routes_it";
  private static final String READER = "registry_routes_it_reader";

  private static StackEndpoints stack;
  private static String url;
  private static HikariDataSource owner;
  private static HikariDataSource reader;

  @BeforeAll
  static void migrate(StackEndpoints endpoints) {
    stack = endpoints;
    url = stack.postgres().freshDatabase(DATABASE, DATABASE, "pw");
    stack.postgres().ensureLoginRole(READER, "pw");
    owner = Databases.pool(new DatabaseSettings(url, DATABASE, "pw", 2), "it-routes-owner");
    RegistrySchema.migrate(owner);
    RegistryGrants.grantRead(owner, List.of(READER));
    reader = Databases.pool(new DatabaseSettings(url, READER, "pw", 2), "it-routes-reader");
  }

  @AfterAll
  static void close() {
    reader.close();
    owner.close();
  }

  @BeforeEach
  void empty() {
    sql(
        "delete from event_route",
        "delete from activity_definition",
        activity("invoice-sync", "RunActivityWorkflow", true),
        activity("nightly-pipeline", "DataPipelineWorkflow", true),
        activity("switched-off", "RunActivityWorkflow", false));
  }

  @Test
  void theReaderRoleReadsEveryRouteWithItsActivityAndTheBrokenOnesAreStoredAndReported() {
    sql(
        route(
            "de-orders",
            "invoice-sync",
            "order.placed",
            "[{\"path\": \"$.payload.country\", \"equals\": \"DE\"}]",
            "START"),
        route("subject-events", "invoice-sync", "order.placed", "[]", "SIGNAL_WITH_START"),
        route("off", "switched-off", "order.placed", "[]", "START"),
        route("wrong-target", "nightly-pipeline", "order.placed", "[]", "START"),
        route(
            "bad-filter",
            "invoice-sync",
            "order.placed",
            "[{\"path\": \"$.payload.x\", \"exists\": true}, {\"path\": \"payload.country\", \"equals\": \"DE\"}]",
            "START"),
        route("bad-delivery", "invoice-sync", "order.placed", "{}", "LATER"));

    RouteTable table = new RouteReader(reader).table();

    assertThat(table.routes())
        .extracting(EventRoute::routeId)
        .containsExactly("de-orders", "off", "subject-events");
    assertThat(table.active())
        .extracting(EventRoute::routeId)
        .containsExactly("de-orders", "subject-events");
    EventRoute de = table.routes().get(0);
    assertThat(de.target())
        .isEqualTo(
            new RouteTarget(
                "invoice-sync", "pipelines", "RunActivityWorkflow", "activities-tq", true));
    assertThat(de.version()).isEqualTo(1);
    assertThat(table.brokenRoutes()).isEqualTo(3);
    assertThat(table.broken())
        .extracting(RouteProblem::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("route 'bad-filter': $.filters[1].path: is \"payload.country\""))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        "route 'bad-delivery': $.delivery: is \"LATER\"; accepted: START or SIGNAL_WITH_START"))
        .anySatisfy(p -> assertThat(p).startsWith("route 'bad-delivery': $.filters: is {}"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        "route 'wrong-target': $.activity_id: names activity 'nightly-pipeline'"));
  }

  @Test
  void theReaderRoleCannotChangeARoute() throws SQLException {
    sql(route("ro", "invoice-sync", "order.placed", "[]", "START"));
    try (Connection c = DriverManager.getConnection(url, READER, "pw");
        Statement s = c.createStatement()) {
      for (String write :
          List.of(
              "update event_route set enabled = false",
              "delete from event_route",
              "insert into event_route (route_id, activity_id, event_type) values ('x', 'invoice-sync', 'a.b')",
              "truncate event_route")) {
        assertThat(sqlState(s, write)).as(write).isEqualTo("42501");
      }
    }
  }

  @Test
  void everyChangeIsAnnouncedOnceAndRaisesTheVersion() throws SQLException {
    try (Connection listener = DriverManager.getConnection(url, READER, "pw")) {
      try (Statement s = listener.createStatement()) {
        s.execute("listen " + RouteReader.changeChannel());
      }
      PGConnection pg = listener.unwrap(PGConnection.class);
      drain(pg);

      sql(
          "insert into event_route (route_id, activity_id, event_type) values"
              + " ('n1', 'invoice-sync', 'order.placed'), ('n2', 'invoice-sync', 'order.placed'),"
              + " ('n3', 'invoice-sync', 'order.shipped')");
      assertThat(await(pg)).as("one insert statement of three routes").containsExactly("INSERT");

      sql(
          "update event_route set filters = '[{\"path\": \"$.subject\", \"exists\": true}]' where route_id = 'n1'");
      assertThat(await(pg)).containsExactly("UPDATE");
      assertThat(new RouteReader(reader).table().routes().get(0).version()).isEqualTo(2);

      sql(
          "update activity_definition set task_queue = 'other-tq' where activity_id = 'invoice-sync'");
      assertThat(await(pg))
          .as("a change of a route's activity changes where its runs go")
          .containsExactly("activity_definition UPDATE");
      assertThat(new RouteReader(reader).table().routes())
          .allSatisfy(r -> assertThat(r.target().taskQueue()).isEqualTo("other-tq"));

      sql("delete from activity_definition where activity_id = 'invoice-sync'");
      assertThat(await(pg)).contains("DELETE", "activity_definition DELETE");
      assertThat(new RouteReader(reader).rows()).as("routes go with their activity").isEmpty();
    }
  }

  /** The notifications that arrive within 10 s of the first, plus a short settle. */
  private static List<String> await(PGConnection pg) throws SQLException {
    List<String> payloads = new ArrayList<>();
    PGNotification[] first = pg.getNotifications(10_000);
    if (first != null) {
      for (PGNotification n : first) {
        payloads.add(n.getParameter());
      }
      // Notifications of one transaction arrive together; a short wait catches any stragglers.
      PGNotification[] more = pg.getNotifications(200);
      if (more != null) {
        for (PGNotification n : more) {
          payloads.add(n.getParameter());
        }
      }
    }
    return payloads;
  }

  private static void drain(PGConnection pg) throws SQLException {
    pg.getNotifications(1);
  }

  private static String activity(String id, String workflowType, boolean enabled) {
    return "insert into activity_definition (activity_id, namespace, workflow_type, task_queue, trigger, owner,"
        + " enabled) values ('"
        + id
        + "', 'pipelines', '"
        + workflowType
        + "', 'activities-tq', '{\"event_types\": [\"order.placed\"]}'::jsonb, 'team', "
        + enabled
        + ")";
  }

  private static String route(
      String id, String activity, String type, String filters, String delivery) {
    return "insert into event_route (route_id, activity_id, event_type, filters, delivery) values ('"
        + id
        + "', '"
        + activity
        + "', '"
        + type
        + "', '"
        + filters
        + "'::jsonb, '"
        + delivery
        + "')";
  }

  private static void sql(String... statements) {
    try (Connection c = owner.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static String sqlState(Statement s, String sql) {
    try {
      s.execute(sql);
      return null;
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }
}
