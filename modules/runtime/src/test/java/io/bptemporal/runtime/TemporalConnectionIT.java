package io.bptemporal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The connection and pool factories against the real server and database of the dev stack. */
@ExtendWith(DevStackExtension.class)
class TemporalConnectionIT {

  @Test
  void connectsToTheConfiguredNamespace(StackEndpoints stack) {
    Environment env =
        Environment.of(
            Map.of("TEMPORAL_ADDRESS", stack.temporalAddress(), "TEMPORAL_NAMESPACE", "orders")
                ::get);
    TemporalSettings settings = TemporalSettings.fromEnvironment(env, "default", "orders-tq");
    env.validate();

    try (TemporalConnection connection = TemporalConnection.open(settings, Optional.empty())) {
      var described =
          connection
              .stubs()
              .blockingStub()
              .describeNamespace(
                  DescribeNamespaceRequest.newBuilder().setNamespace("orders").build());
      assertThat(described.getNamespaceInfo().getName()).isEqualTo("orders");
      assertThat(connection.client(List.of()).getOptions().getNamespace()).isEqualTo("orders");
    }
  }

  @Test
  void poolConnectsWithTheProcessAccount(StackEndpoints stack) throws Exception {
    String url = stack.postgres().ensureDatabase("runtime_it", "runtime_it", "runtime-it-pw");
    Environment env =
        Environment.of(
            Map.of(
                    "DB_URL",
                    url,
                    "DB_USER",
                    "runtime_it",
                    "DB_PASSWORD",
                    "runtime-it-pw",
                    "DB_POOL_SIZE",
                    "3")
                ::get);
    DatabaseSettings settings = DatabaseSettings.fromEnvironment(env);
    env.validate();

    try (var pool = Databases.pool(settings, "runtime-it");
        Connection c = pool.getConnection();
        var rs = c.createStatement().executeQuery("select current_user, current_database()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("runtime_it");
      assertThat(rs.getString(2)).isEqualTo("runtime_it");
      assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
    }
  }
}
