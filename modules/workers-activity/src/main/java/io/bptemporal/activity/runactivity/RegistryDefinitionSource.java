package io.bptemporal.activity.runactivity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.activity.ActivitySetupException;
import io.bptemporal.registry.store.RegistryException;
import io.bptemporal.registry.store.RegistryReader;
import io.bptemporal.registry.store.RegistryRow;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads the activity registry through modules/registry's read API ({@link RegistryReader}) with a
 * role that only has SELECT on it; the row comes back as the contract's ActivityDefinition document
 * (policies under {@code policies}), mapped by the registry itself.
 */
public final class RegistryDefinitionSource implements DefinitionSource {
  private final RegistryReader registry;
  private final String where;

  public RegistryDefinitionSource(DataSource registry, String where) {
    this.registry = new RegistryReader(registry);
    this.where = where;
  }

  @Override
  public String describe() {
    return "the activity registry at " + where;
  }

  @Override
  public Optional<ObjectNode> current(String activityId) {
    try {
      return registry.definition(activityId).map(RegistryRow::toDefinitionDocument);
    } catch (RegistryException e) {
      if (e.accessDenied()) {
        throw new ActivitySetupException(
            "cannot read "
                + describe()
                + ": "
                + e.getMessage()
                + "; accepted: a role"
                + " the scheduler grants read access with REGISTRY_READER_ROLES (REGISTRY_DB_USER)",
            e);
      }
      // 42P01 (no table yet: the scheduler migrates it at its start) and connection problems pass
      // with a retry.
      throw new IllegalStateException(
          "cannot read "
              + describe()
              + ": "
              + e.getMessage()
              + " (SQLSTATE "
              + e.sqlState().orElse("")
              + "; retried)",
          e);
    }
  }
}
