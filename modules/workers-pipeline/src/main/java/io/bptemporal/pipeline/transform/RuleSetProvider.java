package io.bptemporal.pipeline.transform;

import java.util.List;

/**
 * Contributes rule sets to a worker without touching its code: implement this, list the class in
 * {@code META-INF/services/io.bptemporal.pipeline.transform.RuleSetProvider} of your jar, put the
 * jar on the worker's classpath. {@link RuleSetRegistry#installed()} finds it at start-up.
 */
public interface RuleSetProvider {
  List<RuleSet> ruleSets();
}
