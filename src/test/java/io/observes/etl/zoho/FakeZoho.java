package io.observes.etl.zoho;

import io.observes.testing.FakeApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zoho's accounts server and CRM API as WireMock serves them for these tests, after Zoho's
 * documentation: the refresh-token grant ({@code {"access_token", "api_domain", "token_type",
 * "expires_in"}}, or 200 with {@code {"error": "invalid_code"}}); calls signed
 * {@code Zoho-oauthtoken <token>} or 401 {@code {"code": "INVALID_TOKEN", ...}}; Bulk Read v2 (create
 * -> {@code data[0].details}, status {@code data[0]} with {@code result.more_records} once COMPLETED,
 * the result a zip of one CSV, an unknown id 400 INVALID_DATA); fields metadata; users paged by
 * {@code info.more_records}. Jobs of page 1 stay ADDED until {@link #completeAll}; later pages
 * complete at their second status read.
 */
final class FakeZoho extends FakeApi {
  static final String NAME = "fake-zoho";
  static final String FIELDS = """
      {"fields": [
        {"api_name": "%s", "data_type": "bigint", "json_type": "string", "field_label": "Record Id"},
        {"api_name": "Last_Name", "data_type": "text", "json_type": "string", "field_label": "Last Name"},
        {"api_name": "Email", "data_type": "email", "json_type": "string", "field_label": "Email"},
        {"api_name": "No_of_Employees", "data_type": "integer", "json_type": "integer", "field_label": "No. of Employees"},
        {"api_name": "Annual_Revenue", "data_type": "currency", "json_type": "double", "field_label": "Annual Revenue"},
        {"api_name": "Email_Opt_Out", "data_type": "boolean", "json_type": "boolean", "field_label": "Email Opt Out"},
        {"api_name": "Created_Time", "data_type": "datetime", "json_type": "string", "field_label": "Created Time"},
        {"api_name": "Interests", "data_type": "multiselectpicklist", "json_type": "jsonarray", "field_label": "Interests"}
      ]}""";

  private final String clientId;
  private final String clientSecret;
  private final String refreshToken;
  private volatile String apiDomain;
  private final AtomicInteger tokens = new AtomicInteger();
  private final AtomicInteger ids = new AtomicInteger(1000);
  private volatile String token;
  final Map<String, ObjectNode> jobs = new LinkedHashMap<>();
  final Map<String, Integer> statusReads = new LinkedHashMap<>();
  /** Records per page of each module's bulk read; a module missing here has one page of one record. */
  final Map<String, List<Integer>> pages = new LinkedHashMap<>();
  int users = 1;
  final List<String> served = new CopyOnWriteArrayList<>();
  /** Ids the next jobs get, in order (then numeric ones): what an API could send, however hostile. */
  final java.util.Deque<String> nextIds = new java.util.concurrent.ConcurrentLinkedDeque<>();
  /**
   * The record id's name, in the fields metadata and the CSV header: {@code Id} as the clients read
   * it, or {@code id} as Zoho's v7 field metadata and download-result page write it.
   */
  volatile String idName = "Id";
  /** Whether a result's CSV starts with a UTF-8 byte order mark. */
  volatile boolean bom;
  /** Turns a module's CSV (UTF-8) into the bytes its result holds: a source's own bytes, valid or not. */
  volatile java.util.function.BiFunction<String, byte[], byte[]> csvBytes = (module, csv) -> csv;

  FakeZoho(String clientId, String clientSecret, String refreshToken) {
    super(NAME);
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.refreshToken = refreshToken;
  }

  /** The API root the token answer names (known once the server has its port). */
  void apiDomain(String root) {
    apiDomain = root;
  }



  int tokens() {
    return tokens.get();
  }

  void expireToken() {
    token = "expired";
  }

  synchronized void completeAll() {
    jobs.values().forEach(this::complete);
  }

  synchronized long created() {
    return served.stream().filter(s -> s.startsWith("POST /crm/bulk/v2/read")).count();
  }

  private void complete(ObjectNode job) {
    String module = job.path("query").path("module").asText();
    int page = job.path("query").path("page").asInt();
    List<Integer> counts = pages.getOrDefault(module, List.of(1));
    job.put("state", "COMPLETED");
    job.set("result", JSON.createObjectNode().put("page", page).put("count", counts.get(page - 1))
        .put("download_url", "/crm/bulk/v2/read/" + job.get("id").asText() + "/result").put("per_page", 200000)
        .put("more_records", page < counts.size()));
  }

  @Override
  public ResponseDefinition transform(ServeEvent event) {
    Request request = event.getRequest();
    String path = path(request);
    served.add(request.getMethod() + " " + path);
    if (path.equals("/oauth/v2/token")) {
      if (!refreshToken.equals(param(request, "refresh_token")) || !clientId.equals(param(request, "client_id"))
          || !clientSecret.equals(param(request, "client_secret")) || !"refresh_token".equals(param(request, "grant_type"))) {
        return json(200, "{\"error\": \"invalid_code\"}");
      }
      token = "1000.a7c1f0e2b3d4" + tokens.incrementAndGet();
      return json(200, "{\"access_token\": \"" + token + "\", \"api_domain\": \"" + apiDomain + "\", "
          + "\"token_type\": \"Bearer\", \"expires_in\": 3600}");
    }
    if (token == null || !("Zoho-oauthtoken " + token).equals(request.getHeader("Authorization"))) {
      return json(401, "{\"code\": \"INVALID_TOKEN\", \"details\": {}, \"message\": \"invalid oauth token\", \"status\": \"error\"}");
    }
    synchronized (this) {
      if (path.equals("/crm/bulk/v2/read") && request.getMethod().getName().equals("POST")) {
        JsonNode query = read(request.getBodyAsString()).path("query");
        String hostile = nextIds.poll();
        String id = hostile != null ? hostile : "41508680000047" + ids.incrementAndGet();
        ObjectNode job = JSON.createObjectNode().put("id", id).put("operation", "read").put("state", "ADDED");
        job.set("query", JSON.createObjectNode().put("module", query.path("module").asText()).put("page", query.path("page").asInt(1)));
        job.set("created_by", JSON.createObjectNode().put("id", "4150868000000225013").put("name", "Patricia Boyle"));
        job.put("created_time", "2026-11-20T10:00:28+05:30").put("file_type", "csv");
        jobs.put(id, job);
        ObjectNode details = job.deepCopy();
        details.remove("query");
        details.remove("file_type");
        return json(201, "{\"data\": [{\"status\": \"success\", \"code\": \"ADDED_SUCCESSFULLY\", \"message\": \"Added successfully.\", "
            + "\"details\": " + details + "}], \"info\": {}}");
      }
      if (path.startsWith("/crm/bulk/v2/read/")) {
        String rest = path.substring("/crm/bulk/v2/read/".length());
        // One path segment, percent-decoded: the id as the client meant it.
        String id = decode(rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest);
        ObjectNode job = jobs.get(id);
        if (job == null) {
          return json(400, "{\"code\": \"INVALID_DATA\", \"details\": {\"id\": \"" + id + "\"}, \"message\": \"the given id "
              + "is invalid\", \"status\": \"error\"}");
        }
        if (rest.endsWith("/result")) {
          return ResponseDefinitionBuilder.responseDefinition().withStatus(200).withHeader("Content-Type", "application/zip")
              .withBody(zip(id, job)).build();
        }
        int reads = statusReads.merge(id, 1, Integer::sum);
        if (job.path("query").path("page").asInt() > 1 && reads >= 2 && !"COMPLETED".equals(job.path("state").asText())) {
          complete(job);
        }
        return json(200, "{\"data\": [" + job + "]}");
      }
      if (path.equals("/crm/v2/settings/fields")) {
        return json(200, FIELDS.formatted(idName));
      }
      if (path.equals("/crm/v2/users")) {
        int page = Integer.parseInt(param(request, "page"));
        int perPage = Integer.parseInt(param(request, "per_page"));
        ArrayNode list = JSON.createArrayNode();
        for (int i = (page - 1) * perPage; i < Math.min(users, page * perPage); i++) {
          list.add(JSON.createObjectNode().put("id", "4150868000000" + (225013 + i)).put("full_name", "User " + i)
              .put("email", "user" + i + "@example.com").put("status", "active")
              .set("role", JSON.createObjectNode().put("name", "Sales").put("id", "4150868000000026005")));
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("users", list);
        body.putObject("info").put("per_page", perPage).put("count", list.size()).put("page", page)
            .put("more_records", page * perPage < users);
        return json(200, body.toString());
      }
    }
    return json(404, "{\"code\": \"INVALID_URL_PATTERN\", \"details\": {}, \"message\": \"Please check if the URL trying to access "
        + "is a correct one\", \"status\": \"error\"}");
  }

  /** A path segment percent-decoded (a '+' is a plus in a path, not a space). */
  static String decode(String segment) {
    return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The result's zip: one CSV of the page's records. */
  private byte[] zip(String id, ObjectNode job) {
    String module = job.path("query").path("module").asText();
    int page = job.path("query").path("page").asInt();
    int count = pages.getOrDefault(module, List.of(1)).get(page - 1);
    StringBuilder csv = new StringBuilder((bom ? "\uFEFF" : "") + "\"" + idName + "\",\"Last_Name\",\"Email\",\"No_of_Employees\",\"Annual_Revenue\",\"Email_Opt_Out\","
        + "\"Created_Time\",\"Interests\"\n");
    for (int i = 0; i < count; i++) {
      String recordId = "4150868000" + String.format("%03d%02d%04d", ZohoModules.ALL.indexOf(module), page, i);
      csv.append('"').append(recordId).append("\",\"Boyle, \"\"Pat\"\" ").append(i).append("\",\"pat").append(i)
          .append("@example.com\",\"").append(10 + i).append("\",\"1250000.50\",\"").append(i % 2 == 0)
          .append("\",\"2026-11-0").append(1 + i % 9).append("T10:00:28+05:30\",\"Cloud;Security\"\n");
    }
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(id + ".csv"));
      zip.write(csvBytes.apply(module, csv.toString().getBytes(StandardCharsets.UTF_8)));
      zip.closeEntry();
      zip.finish();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }


}
