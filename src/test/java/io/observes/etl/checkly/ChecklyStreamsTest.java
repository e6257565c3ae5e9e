package io.observes.etl.checkly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.observes.http.ApiException;
import io.observes.pipeline.SourceRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecklyStreamsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aResultSplitsIntoItsCommonRowAndItsApiRowKeyedByTheResult() throws Exception {
    List<SourceRecord> records = ChecklyStreams.result(JSON.readTree("""
        {"id": "r-1", "checkId": "c-1", "hasFailures": false,
         "apiCheckResult": {"assertions": [], "request": {"method": "GET"}, "response": {"status": 200}}}"""), "a page");

    assertThat(records).extracting(SourceRecord::stream).containsExactly("check_results", "check_results_api");
    assertThat(records.get(1).value().fields()).containsKeys("id", "check_id", "request", "response", "assertions");
  }

  @Test
  void aPartWithAFieldTheRowTakesFromTheResultFailsNamingItNeverDropsIt() {
    assertThatThrownBy(() -> ChecklyStreams.result(JSON.readTree("""
        {"id": "r-1", "checkId": "c-1", "apiCheckResult": {"id": "its own", "response": {"status": 200}}}"""), "a page"))
        .isInstanceOf(ApiException.class).hasMessageContaining("apiCheckResult has its own 'id'");
  }
}
