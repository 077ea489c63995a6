package io.bptemporal.observability.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TraceParentTest {

  @Test
  void aBareTraceIdFromAnEnvelopeIsASampledParentWithoutSpan() {
    TraceParent parent = TraceParent.parse("4BF92F3577B34DA6A3CE929D0E0E4736");

    assertThat(parent.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(parent.parentSpanId()).isEmpty();
    assertThat(parent.sampled()).isTrue();
  }

  @Test
  void aWholeTraceparentKeepsSpanAndSampling() {
    TraceParent parent =
        TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");

    assertThat(parent.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(parent.parentSpanId()).contains("00f067aa0ba902b7");
    assertThat(parent.sampled()).isFalse();
  }

  @Test
  void malformedValuesAreRejectedNamingTheValueAndTheAcceptedForms() {
    assertThatThrownBy(() -> TraceParent.parse("4bf92f3577b34da6"))
        .hasMessage(
            "trace id '4bf92f3577b34da6' is not accepted: use 32 hex digits or a W3C traceparent "
                + "(00-<32 hex>-<16 hex>-<2 hex>)");
    assertThatThrownBy(() -> TraceParent.parse("0".repeat(32)))
        .hasMessageContaining("not all zero");
    assertThatThrownBy(
            () -> TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"))
        .hasMessageContaining("span id '0000000000000000' is not accepted");
    assertThatThrownBy(
            () -> TraceParent.parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        .hasMessageContaining("invalid version ff");
    assertThatThrownBy(() -> TraceParent.parse(" ")).hasMessageContaining("trace id is empty");
  }
}
