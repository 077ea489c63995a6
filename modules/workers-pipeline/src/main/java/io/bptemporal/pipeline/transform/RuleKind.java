package io.bptemporal.pipeline.transform;

/**
 * What a rule does to a record; rules run in the order the rule set declares them, whatever their
 * kind.
 */
public enum RuleKind {
  /** Rewrites a value into its canonical form (trim, case, types) without judging it. */
  NORMALISATION,
  /** Checks a value; a record that fails any validation is quarantined with every reason. */
  VALIDATION,
  /**
   * Adds a value derived from others or looked up (a domain from an e-mail, a name from a code).
   */
  ENRICHMENT
}
