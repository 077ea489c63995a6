package io.bptemporal.pipeline.transform;

import io.bptemporal.pipeline.PipelineSetupException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The rule sets a worker knows, by name. Two rule sets with one name are refused at start-up. */
public final class RuleSetRegistry {
  private final Map<String, RuleSet> byName;

  private RuleSetRegistry(Map<String, RuleSet> byName) {
    this.byName = byName;
  }

  public static RuleSetRegistry of(Collection<RuleSet> ruleSets) {
    Map<String, RuleSet> byName = new TreeMap<>();
    for (RuleSet ruleSet : ruleSets) {
      RuleSet previous = byName.putIfAbsent(ruleSet.name(), ruleSet);
      if (previous != null) {
        throw new IllegalArgumentException(
            "two rule sets are named "
                + ruleSet.name()
                + " ("
                + previous.description()
                + " / "
                + ruleSet.description()
                + "); give the newer one a new name, e.g. "
                + ruleSet.name()
                + "-v2");
      }
    }
    return new RuleSetRegistry(byName);
  }

  /** The built-in rule sets plus every {@link RuleSetProvider} on the classpath. */
  public static RuleSetRegistry installed() {
    List<RuleSet> all = new ArrayList<>(CustomerRuleSets.all());
    ServiceLoader.load(RuleSetProvider.class).forEach(provider -> all.addAll(provider.ruleSets()));
    return of(all);
  }

  public RuleSet require(String name) {
    RuleSet ruleSet = byName.get(name);
    if (ruleSet == null) {
      throw new PipelineSetupException(
          "rule_set '"
              + name
              + "' is not known to this worker; accepted: one of "
              + byName.keySet()
              + " (add one with a RuleSetProvider, see docs/pipeline.md)");
    }
    return ruleSet;
  }

  public Set<String> names() {
    return byName.keySet();
  }
}
