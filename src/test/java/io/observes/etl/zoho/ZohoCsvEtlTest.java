package io.observes.etl.zoho;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.testing.CliRun;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How {@code observes etl zoho load} reads a bulk read's CSV: its header, key column and bytes. */
class ZohoCsvEtlTest extends ZohoStandIns {
  @ParameterizedTest(name = "key column {0}, byte order mark {1}")
  @CsvSource({"Id, false", "id, false", "Id, true", "id, true"})
  void theKeyColumnIsFoundInAnyCaseAndAByteOrderMarkIsNoPartOfIt(String idName, boolean bom) throws Exception {
    fake.idName = idName;
    fake.bom = bom;
    assertThat(zoho("prepare").code()).isZero();
    fake.completeAll();

    CliRun.Result r = zoho("load");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertThat(count("SELECT COUNT(DISTINCT id) FROM zoho_crm.leads WHERE id IS NOT NULL")).isEqualTo(5);
    assertThat(pg.rows("SELECT id, last_name FROM zoho_crm.accounts"))
        .containsExactly(Map.of("id", "4150868000001010000", "last_name", "Boyle, \"Pat\" 0"));
    // The same column whatever the spelling, typed as in the first case.
    assertThat(pg.rows("SELECT data_type FROM information_schema.columns WHERE table_schema = 'zoho_crm' "
        + "AND table_name = 'accounts' AND column_name = 'id'")).containsExactly(Map.of("data_type", "bigint"));
    // No column was named from the mark.
    assertThat(pg.rows("SELECT column_name FROM information_schema.columns WHERE table_schema = 'zoho_crm' "
        + "AND table_name = 'accounts' AND column_name NOT IN ('id', 'last_name', 'email', 'no_of_employees', 'annual_revenue', "
        + "'email_opt_out', 'created_time') AND column_name NOT LIKE '\\_%'")).isEmpty();
  }

  @Test
  void aCsvWithoutAnyIdColumnFailsNamingTheBulkReadAndItsHeader() throws Exception {
    fake.csvBytes = (module, csv) -> !module.equals("Deals") ? csv : replace(csv, "\"Id\"", "\"Record\"".getBytes(StandardCharsets.UTF_8));
    assertThat(zoho("prepare").code()).isZero();
    fake.completeAll();

    CliRun.Result r = zoho("load");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("Deals page 1", "no column Id", "Record, Last_Name");
  }

  @Test
  void aCellThatIsNotUtf8IsRejectedWithItsByteAndTheRecordsOtherValuesLoad() throws Exception {
    // Latin-1 where UTF-8 belongs (0xE9), and a sequence cut short (0xE2 0x82 then a quote).
    fake.csvBytes = (module, csv) -> !module.equals("Accounts") ? csv
        : replace(replace(csv, "Pat", new byte[] {'P', (byte) 0xE9, 't'}), "@example", new byte[] {'@', (byte) 0xE2, (byte) 0x82});
    assertThat(zoho("prepare").code()).isZero();
    fake.completeAll();

    CliRun.Result r = zoho("load");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    Map<String, String> account = pg.rows("SELECT * FROM zoho_crm.accounts").get(0);
    assertThat(account).containsEntry("last_name", null).containsEntry("email", null).containsEntry("no_of_employees", "10")
        .containsEntry("annual_revenue", "1250000.50").containsEntry("email_opt_out", "t");
    assertThat(account.get("id")).isNotNull();
    List<Map<String, String>> rejected = pg.rows("SELECT source_path, reason, raw_value FROM zoho_crm._rejected "
        + "WHERE table_name = 'accounts' ORDER BY source_path");
    assertThat(rejected).extracting(row -> row.get("source_path")).containsExactly("Email", "Last_Name");
    assertThat(rejected.get(1).get("reason")).contains("not valid UTF-8", "0xE9", "offset 9");
    assertThat(rejected.get(1).get("raw_value")).isEqualTo("\"Boyle, \\\"P\\uDCE9t\\\" 0\"");
    assertThat(rejected.get(0).get("reason")).contains("not valid UTF-8", "0xE2", "offset 5");
    assertThat(rejected.get(0).get("raw_value")).isEqualTo("\"pat0@\\uDCE2\\uDC82.com\"");
    // Nothing was replaced anywhere: no U+FFFD in the module's table.
    assertThat(pg.rows("SELECT 1 FROM zoho_crm.accounts WHERE last_name LIKE '%\uFFFD%' OR email LIKE '%\uFFFD%'")).isEmpty();
  }

  @Test
  void aHeaderThatIsNotUtf8FailsTheLoadNamingTheFileAndByte() throws Exception {
    fake.csvBytes = (module, csv) -> !module.equals("Deals") ? csv : replace(csv, "Last_Name", new byte[] {'L', (byte) 0xFF});
    assertThat(zoho("prepare").code()).isZero();
    fake.completeAll();

    CliRun.Result r = zoho("load");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("Deals", "header", "not valid UTF-8", "0xFF");
  }
}
