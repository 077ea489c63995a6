package io.bptemporal.scheduler.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.scheduler.plan.DesiredSchedule;
import io.bptemporal.scheduler.plan.ScheduleOwnership;
import io.bptemporal.scheduler.plan.TestRows;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleRange;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTranslationTest {

  @Test
  void consecutiveValuesBecomeRanges() {
    assertThat(ScheduleTranslation.ranges(List.of(1, 2, 3, 7, 9, 10)))
        .containsExactly(new ScheduleRange(1, 3), new ScheduleRange(7), new ScheduleRange(9, 10));
    assertThat(ScheduleTranslation.ranges(List.of())).isEmpty();
  }

  @Test
  void theScheduleCarriesSpecPoliciesIdentityAndTheMarker() {
    DesiredSchedule d =
        TestRows.desired(
            TestRows.row(
                "nightly",
                "{\"trigger\": {\"cron\": [\"0 2 * * *\"],"
                    + " \"calendars\": [{\"hour\": \"9\", \"day_of_week\": \"SAT,SUN\"}], \"time_zone\": \"Europe/Berlin\","
                    + " \"jitter\": \"30s\"}, \"policies\": {\"overlap\": \"BUFFER_ONE\", \"missed_run\": \"SKIP\"}, \"paused\": true}"));
    var schedule = ScheduleTranslation.toSchedule(d);
    assertThat(schedule.getSpec().getCronExpressions()).containsExactly("0 2 * * *");
    ScheduleCalendarSpec calendar = schedule.getSpec().getCalendars().getFirst();
    assertThat(calendar.getHour()).containsExactly(new ScheduleRange(9));
    assertThat(calendar.getDayOfWeek()).containsExactly(new ScheduleRange(0), new ScheduleRange(6));
    assertThat(schedule.getSpec().getTimeZoneName()).isEqualTo("Europe/Berlin");
    assertThat(schedule.getSpec().getJitter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(schedule.getPolicy().getOverlap())
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE);
    assertThat(schedule.getPolicy().getCatchupWindow()).isEqualTo(Duration.ofSeconds(10));
    assertThat(schedule.getState().isPaused()).isTrue();
    assertThat(ScheduleOwnership.specHashInNotes(schedule.getState().getNote()))
        .contains(d.specHash());
    ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) schedule.getAction();
    assertThat(action.getOptions().getWorkflowId()).isEqualTo("nightly");
    assertThat(action.getOptions().getTaskQueue()).isEqualTo("probe-tq");
    assertThat(action.getOptions().getMemo())
        .containsKeys(
            ScheduleOwnership.ACTION_MEMO_SOURCE, ScheduleOwnership.ACTION_MEMO_ACTIVITY_ID);
  }
}
